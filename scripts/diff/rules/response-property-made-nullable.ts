import { typeDelta } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, responseBody, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-made-nullable",
  breaking: true,
  category: "guarantee",
  summary: "A response field may now be null.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "output") return;
      const { gained, before, after } = typeDelta(node);
      if (gained.includes("null"))
        ctx.report({ before, after, message: `${node.name} may now be null.` });
    },
  },
  cases: [
    {
      when: "when a response field becomes nullable, then it is breaking",
      before: responseBody(object({ a: { type: "string" } }, ["a"])),
      after: responseBody(object({ a: { type: ["string", "null"] } }, ["a"])),
      expect: ["response-property-made-nullable"],
    },
    {
      when: "when a webhook payload field becomes nullable through oneOf, then it is breaking",
      before: webhook("thing.created", object({ a: { type: "string" } }, ["a"])),
      after: webhook(
        "thing.created",
        object({ a: { oneOf: [{ type: "string" }, { type: "null" }] } }, ["a"]),
      ),
      expect: ["response-property-made-nullable"],
    },
  ],
};
