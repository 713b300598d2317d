import { requiredFlipVisitors } from "../required-visitors.ts";
import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-made-required",
  breaking: false,
  category: "addition",
  summary: "A response field is now always present.",
  visit: requiredFlipVisitors("output", true, (field) => `Field ${field} is now always present.`),
  cases: [
    {
      when: "when a response field becomes required, then it is not breaking",
      before: responseBody(object({ a: { type: "string" } })),
      after: responseBody(object({ a: { type: "string" } }, ["a"])),
      expect: ["response-property-made-required"],
    },
  ],
};
