import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-min-increased",
  breaking: true,
  category: "tightening",
  summary:
    "A higher minLength, minItems, minimum or minProperties (or a new one) rejects values that were valid.",
  cases: [
    {
      when: "when a request minLength is raised, then it is breaking",
      before: requestBody(object({ a: { type: "string", minLength: 1 } })),
      after: requestBody(object({ a: { type: "string", minLength: 2 } })),
      expect: ["request-min-increased"],
    },
    {
      when: "when a request minimum is raised, then it is breaking",
      before: requestBody(object({ a: { type: "integer", minimum: 1 } })),
      after: requestBody(object({ a: { type: "integer", minimum: 100 } })),
      expect: ["request-min-increased"],
    },
    {
      when: "when a request array gains minItems, then it is breaking",
      before: requestBody(object({ a: { type: "array", items: { type: "string" } } })),
      after: requestBody(object({ a: { type: "array", items: { type: "string" }, minItems: 1 } })),
      expect: ["request-min-increased"],
    },
  ],
};
