import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-additional-properties-disallowed",
  breaking: true,
  category: "tightening",
  summary: "A request object no longer accepts properties it does not list.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "input") return;
      if (node.base.additional !== false && node.revision.additional === false)
        ctx.report({
          sub: "/additionalProperties",
          before: true,
          after: false,
          message: `${node.name} no longer accepts properties it does not list.`,
        });
    },
  },
  cases: [
    {
      when: "when a request object gains additionalProperties: false, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string" } }, [], { additionalProperties: false })),
      expect: ["request-additional-properties-disallowed"],
    },
  ],
};
