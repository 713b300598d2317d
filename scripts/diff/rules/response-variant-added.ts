import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-variant-added",
  breaking: true,
  category: "guarantee",
  summary:
    "A response oneOf/anyOf gains an alternative: the response may now be a shape clients never received.",
  visit: {
    variants(node, ctx) {
      if (node.direction !== "output") return;
      for (const { label, index } of node.added)
        ctx.report({
          pointers: { base: null },
          sub: `/${node.keyword}/${index}`,
          before: null,
          after: label,
          message: `${node.name} may now be the alternative ${label}; clients must tolerate it.`,
        });
    },
  },
  cases: [
    {
      when: "when a response oneOf gains an alternative, then it is breaking",
      before: responseBody({
        oneOf: [
          object({ object: { const: "a" } }, ["object"]),
          object({ object: { const: "b" } }, ["object"]),
        ],
      }),
      after: responseBody({
        oneOf: [
          object({ object: { const: "a" } }, ["object"]),
          object({ object: { const: "b" } }, ["object"]),
          object({ object: { const: "c" } }, ["object"]),
        ],
      }),
      expect: ["response-variant-added"],
    },
  ],
};
