import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-variant-removed",
  breaking: false,
  category: "relaxation",
  summary: "A response oneOf/anyOf alternative is no longer sent.",
  visit: {
    variants(node, ctx) {
      if (node.direction !== "output") return;
      for (const { label, index } of node.removed)
        ctx.report({
          pointers: { revision: null },
          sub: `/${node.keyword}/${index}`,
          before: label,
          after: null,
          message: `${node.name} is no longer returned as the alternative ${label}.`,
        });
    },
  },
  cases: [
    {
      when: "when a response oneOf loses an alternative, then it is not breaking",
      before: responseBody({
        oneOf: [
          object({ object: { const: "a" } }, ["object"]),
          object({ object: { const: "b" } }, ["object"]),
          object({ object: { const: "c" } }, ["object"]),
        ],
      }),
      after: responseBody({
        oneOf: [
          object({ object: { const: "a" } }, ["object"]),
          object({ object: { const: "b" } }, ["object"]),
        ],
      }),
      expect: ["response-variant-removed"],
    },
  ],
};
