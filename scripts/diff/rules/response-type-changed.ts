import { typeDelta } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-type-changed",
  breaking: true,
  category: "guarantee",
  summary: "A response field may now have a type it could not have before.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "output") return;
      const { gained, before, after } = typeDelta(node);
      if (gained.some((t) => t !== "null"))
        ctx.report({
          before,
          after,
          message: `${node.name} changed type from ${before} to ${after}.`,
        });
    },
  },
  cases: [
    {
      when: "when a response field changes from integer to string, then it is breaking",
      before: responseBody(object({ a: { type: "integer" } }, ["a"])),
      after: responseBody(object({ a: { type: "string" } }, ["a"])),
      expect: ["response-type-changed"],
    },
    {
      when: "when a response field widens from integer to number, then it is breaking",
      before: responseBody(object({ a: { type: "integer" } }, ["a"])),
      after: responseBody(object({ a: { type: "number" } }, ["a"])),
      expect: ["response-type-changed"],
    },
  ],
};
