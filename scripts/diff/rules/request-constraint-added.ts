import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-constraint-added",
  breaking: true,
  category: "tightening",
  summary: "A request field gains uniqueItems or multipleOf.",
  cases: [
    {
      when: "when a request array must now be unique, then it is breaking",
      before: requestBody(object({ a: { type: "array", items: { type: "string" } } })),
      after: requestBody(
        object({ a: { type: "array", items: { type: "string" }, uniqueItems: true } }),
      ),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request number gains multipleOf, then it is breaking",
      before: requestBody(object({ a: { type: "integer" } })),
      after: requestBody(object({ a: { type: "integer", multipleOf: 100 } })),
      expect: ["request-constraint-added"],
    },
  ],
};
