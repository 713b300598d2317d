import { typeDelta } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-null-disallowed",
  breaking: true,
  category: "tightening",
  summary: "A request field no longer accepts null.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "input") return;
      const { lost, before, after } = typeDelta(node);
      if (lost.includes("null"))
        ctx.report({ before, after, message: `${node.name} no longer accepts null.` });
    },
  },
  cases: [
    {
      when: "when a request field drops null from its types, then it is breaking",
      before: requestBody(object({ a: { type: ["string", "null"] } })),
      after: requestBody(object({ a: { type: "string" } })),
      expect: ["request-null-disallowed"],
    },
    {
      when: "when a request field drops nullable: true, then it is breaking",
      before: requestBody(object({ a: { type: "string", nullable: true } })),
      after: requestBody(object({ a: { type: "string" } })),
      expect: ["request-null-disallowed"],
    },
  ],
};
