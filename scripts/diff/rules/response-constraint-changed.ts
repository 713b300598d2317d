import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-constraint-changed",
  breaking: false,
  category: "relaxation",
  summary:
    "A response field's bounds or pattern changed; the data's type and presence are unchanged.",
  cases: [
    {
      when: "when a response maxLength is raised, then it is not breaking",
      before: responseBody(object({ a: { type: "string", maxLength: 10 } }, ["a"])),
      after: responseBody(object({ a: { type: "string", maxLength: 20 } }, ["a"])),
      expect: ["response-constraint-changed"],
    },
  ],
};
