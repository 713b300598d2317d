import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-variant-added",
  breaking: true,
  category: "guarantee",
  summary:
    "A response oneOf/anyOf gains an alternative: the response may now be a shape clients never received.",
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
