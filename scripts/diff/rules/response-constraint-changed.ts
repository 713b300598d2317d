import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-constraint-changed",
  breaking: false,
  category: "relaxation",
  summary:
    "A response schema is constrained further (a lower maximum, a new pattern or keyword): everything it may now produce, it could produce before.",
  cases: [
    {
      when: "when a response maxLength is lowered, then it is not breaking",
      before: responseBody(object({ a: { type: "string", maxLength: 20 } }, ["a"])),
      after: responseBody(object({ a: { type: "string", maxLength: 10 } }, ["a"])),
      expect: ["response-constraint-changed"],
    },
    {
      when: "when a response array gains prefixItems, then it is not breaking",
      before: responseBody(object({ a: { type: "array", items: { type: "string" } } }, ["a"])),
      after: responseBody(
        object({ a: { type: "array", items: { type: "string" }, prefixItems: [{ const: "x" }] } }, [
          "a",
        ]),
      ),
      expect: ["response-constraint-changed"],
    },
  ],
};
