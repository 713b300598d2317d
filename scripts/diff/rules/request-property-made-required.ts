import { requiredFlipVisitors } from "../required-visitors.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-property-made-required",
  breaking: true,
  category: "tightening",
  summary: "A request field that could be omitted must now be sent.",
  visit: requiredFlipVisitors("input", true, (field) => `Field ${field} is now required.`),
  cases: [
    {
      when: "when a request field becomes required, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string" } }, ["a"])),
      expect: ["request-property-made-required"],
    },
  ],
};
