import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-type-narrowed",
  breaking: false,
  category: "addition",
  summary: "A response field now has fewer possible types (for example, no longer null).",
  cases: [
    {
      when: "when a response field can no longer be null, then it is not breaking",
      before: responseBody(object({ a: { type: ["string", "null"] } }, ["a"])),
      after: responseBody(object({ a: { type: "string" } }, ["a"])),
      expect: ["response-type-narrowed"],
    },
  ],
};
