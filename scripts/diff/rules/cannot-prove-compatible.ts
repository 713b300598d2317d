import type { Rule } from "../types.ts";
import { object, requestBody, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "cannot-prove-compatible",
  breaking: true,
  category: "tightening",
  summary:
    "A schema keyword changed in a way the subschema check cannot decide; it is treated as breaking, never passed over.",
  cases: [
    {
      when: "when a request schema's if condition changes, then it cannot be proved compatible",
      before: requestBody(
        object({ kind: { type: "string" }, ref: { type: "string" } }, [], {
          if: { properties: { kind: { const: "a" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
          then: { required: ["ref"] },
        }),
      ),
      after: requestBody(
        object({ kind: { type: "string" }, ref: { type: "string" } }, [], {
          if: { properties: { kind: { const: "b" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
          then: { required: ["ref"] },
        }),
      ),
      expect: ["cannot-prove-compatible"],
    },
    {
      when: "when a keyword nobody models changes in a response, then it cannot be proved compatible",
      before: responseBody(object({ a: { type: "string", "x-unused": 1, unknownKeyword: 1 } })),
      after: responseBody(object({ a: { type: "string", "x-unused": 1, unknownKeyword: 2 } })),
      expect: ["cannot-prove-compatible"],
    },
  ],
};
