import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-type-widened",
  breaking: false,
  category: "relaxation",
  summary: "A request field accepts more types.",
  cases: [
    {
      when: "when a request field goes from integer to number, then it is not breaking",
      before: requestBody(object({ a: { type: "integer" } })),
      after: requestBody(object({ a: { type: "number" } })),
      expect: ["request-type-widened"],
    },
  ],
};
