import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

const withA = (a: Record<string, unknown>) => responseBody(object({ a }, ["a"]));

export const rule: Rule = {
  id: "response-constraint-relaxed",
  breaking: true,
  category: "guarantee",
  summary:
    "A response schema now allows values it did not (a raised maximum, a dropped pattern or enum, a looser keyword): clients may receive data they never had to handle.",
  cases: [
    {
      when: "when a response maxLength is raised, then it is breaking",
      before: withA({ type: "string", maxLength: 10 }),
      after: withA({ type: "string", maxLength: 20 }),
      expect: ["response-constraint-relaxed"],
    },
    {
      when: "when a response exclusiveMaximum is relaxed to an inclusive maximum, then it is breaking",
      before: withA({ type: "number", exclusiveMaximum: 10 }),
      after: withA({ type: "number", maximum: 10 }),
      expect: ["response-constraint-relaxed"],
    },
    {
      when: "when a response pattern is dropped, then it is breaking",
      before: withA({ type: "string", pattern: "^[a-z]+$" }),
      after: withA({ type: "string" }),
      expect: ["response-constraint-relaxed"],
    },
    {
      when: "when a response array loses its contains, then it is breaking",
      before: withA({ type: "array", items: { type: "string" }, contains: { const: "x" } }),
      after: withA({ type: "array", items: { type: "string" } }),
      expect: ["response-constraint-relaxed"],
    },
    {
      when: "when a response loses a dependentRequired entry, then it is breaking",
      before: responseBody(
        object({ a: { type: "string" }, b: { type: "string" } }, [], {
          dependentRequired: { a: ["b"] },
        }),
      ),
      after: responseBody(object({ a: { type: "string" }, b: { type: "string" } })),
      expect: ["response-constraint-relaxed"],
    },
  ],
};
