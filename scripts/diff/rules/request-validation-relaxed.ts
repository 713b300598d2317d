import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-validation-relaxed",
  breaking: false,
  category: "relaxation",
  summary:
    "Request validation accepts more than before (a bound raised, a pattern, format or enum dropped, null allowed).",
  cases: [
    {
      when: "when a request maxLength is raised, then it is not breaking",
      before: requestBody(object({ a: { type: "string", maxLength: 10 } })),
      after: requestBody(object({ a: { type: "string", maxLength: 20 } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request pattern is dropped, then it is not breaking",
      before: requestBody(object({ a: { type: "string", pattern: "^a$" } })),
      after: requestBody(object({ a: { type: "string" } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request field starts to accept null, then it is not breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: ["string", "null"] } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request minimum is lowered, then it is not breaking",
      before: requestBody(object({ a: { type: "integer", minimum: 5 } })),
      after: requestBody(object({ a: { type: "integer", minimum: 1 } })),
      expect: ["request-validation-relaxed"],
    },
  ],
};
