import { requiredFlipVisitors } from "../required-visitors.ts";
import type { Rule } from "../types.ts";
import { object, responseBody, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-made-optional",
  breaking: true,
  category: "guarantee",
  summary: "A response field that was always present may now be absent.",
  visit: requiredFlipVisitors("output", false, (field) => `Field ${field} may now be absent.`),
  cases: [
    {
      when: "when a response field stops being required, then it is breaking",
      before: responseBody(object({ a: { type: "string" } }, ["a"])),
      after: responseBody(object({ a: { type: "string" } })),
      expect: ["response-property-made-optional"],
    },
    {
      when: "when a webhook payload field stops being required, then it is breaking",
      before: webhook("thing.created", object({ a: { type: "string" } }, ["a"])),
      after: webhook("thing.created", object({ a: { type: "string" } })),
      expect: ["response-property-made-optional"],
    },
  ],
};
