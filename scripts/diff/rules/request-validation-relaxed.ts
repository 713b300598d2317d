import type { Rule } from "../types.ts";
import { list, object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-validation-relaxed",
  breaking: false,
  category: "relaxation",
  summary:
    "Request validation accepts more than before (a bound raised, a pattern, format or enum dropped, null allowed).",
  cases: [
    {
      when: "when a request exclusiveMaximum (3.1 style) is relaxed to an inclusive maximum, then it is not breaking",
      before: requestBody(object({ a: { type: "number", exclusiveMaximum: 10 } })),
      after: requestBody(object({ a: { type: "number", maximum: 10 } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request exclusiveMinimum (3.0 boolean style) is dropped, then it is not breaking",
      before: requestBody(object({ a: { type: "number", minimum: 0, exclusiveMinimum: true } })),
      after: requestBody(object({ a: { type: "number", minimum: 0 } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when an integer's exclusiveMaximum 11 becomes maximum 10, then nothing changed",
      before: requestBody(object({ a: { type: "integer", exclusiveMaximum: 11 } })),
      after: requestBody(object({ a: { type: "integer", maximum: 10 } })),
      expect: [],
    },
    {
      when: "when limit's maximum is raised, then it is not breaking",
      before: list(),
      after: list({ limit: { type: "integer", minimum: 1, maximum: 200, default: 20 } }),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request array's contains is dropped, then it is not breaking",
      before: requestBody(object({ t: { type: "array", contains: { const: "x" } } })),
      after: requestBody(object({ t: { type: "array" } })),
      expect: ["request-validation-relaxed"],
    },
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
