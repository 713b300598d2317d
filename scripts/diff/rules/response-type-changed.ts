import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-type-changed",
  breaking: true,
  category: "guarantee",
  summary: "A response field may now have a type it could not have before.",
  cases: [
    {
      when: "when a response field changes from integer to string, then it is breaking",
      before: responseBody(object({ a: { type: "integer" } }, ["a"])),
      after: responseBody(object({ a: { type: "string" } }, ["a"])),
      expect: ["response-type-changed"],
    },
    {
      when: "when a response field widens from integer to number, then it is breaking",
      before: responseBody(object({ a: { type: "integer" } }, ["a"])),
      after: responseBody(object({ a: { type: "number" } }, ["a"])),
      expect: ["response-type-changed"],
    },
  ],
};
