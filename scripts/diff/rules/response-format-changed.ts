import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-format-changed",
  breaking: true,
  category: "guarantee",
  summary: "A response field's format changed or was dropped; parsers that rely on it break.",
  cases: [
    {
      when: "when a response date-time becomes a date, then it is breaking",
      before: responseBody(object({ a: { type: "string", format: "date-time" } }, ["a"])),
      after: responseBody(object({ a: { type: "string", format: "date" } }, ["a"])),
      expect: ["response-format-changed"],
    },
  ],
};
