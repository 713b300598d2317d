import { requiredFlipVisitors } from "../required-visitors.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-property-made-optional",
  breaking: false,
  category: "relaxation",
  summary: "A required request field may now be omitted.",
  visit: requiredFlipVisitors("input", false, (field) => `Field ${field} is now optional.`),
  cases: [
    {
      when: "when a required request field becomes optional, then it is not breaking",
      before: requestBody(object({ a: { type: "string" } }, ["a"])),
      after: requestBody(object({ a: { type: "string" } })),
      expect: ["request-property-made-optional"],
    },
  ],
};
