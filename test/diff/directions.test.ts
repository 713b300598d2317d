/**
 * The same schema edit, judged by where the schema sits: what clients send (requests, webhook
 * acknowledgements) must not accept less; what clients receive (responses, webhook payloads)
 * must not guarantee less.
 */
import { describe, expect, it } from "vitest";
import { diffObjects } from "../../scripts/diff/diff.ts";
import { object, requestBody, responseBody, webhook } from "../../scripts/diff/rules/fixtures.ts";

type Json = Record<string, unknown>;

/** A webhook whose acknowledgement (the receiver's 2xx response body) has schema `ack`. */
function acknowledgement(ack: unknown): Json {
  return webhook(
    "thing.created",
    { type: "object" },
    {
      responses: {
        "2XX": { description: "ack", content: { "application/json": { schema: ack } } },
      },
    },
  );
}

const places: { place: string; wrap: (s: unknown) => Json; direction: "input" | "output" }[] = [
  { place: "a request body", wrap: (s) => requestBody(s), direction: "input" },
  { place: "a webhook acknowledgement", wrap: acknowledgement, direction: "input" },
  { place: "a response body", wrap: (s) => responseBody(s), direction: "output" },
  { place: "a webhook payload", wrap: (s) => webhook("thing.created", s), direction: "output" },
];

const edits: {
  edit: string;
  before: unknown;
  after: unknown;
  input: [string, boolean];
  output: [string, boolean];
}[] = [
  {
    edit: "maxLength is lowered",
    before: object({ a: { type: "string", maxLength: 10 } }, ["a"]),
    after: object({ a: { type: "string", maxLength: 5 } }, ["a"]),
    input: ["request-max-decreased", true],
    output: ["response-constraint-changed", false],
  },
  {
    edit: "a field becomes nullable",
    before: object({ a: { type: "string" } }, ["a"]),
    after: object({ a: { type: ["string", "null"] } }, ["a"]),
    input: ["request-validation-relaxed", false],
    output: ["response-property-made-nullable", true],
  },
  {
    edit: "a field stops being nullable",
    before: object({ a: { type: ["string", "null"] } }, ["a"]),
    after: object({ a: { type: "string" } }, ["a"]),
    input: ["request-null-disallowed", true],
    output: ["response-type-narrowed", false],
  },
  {
    edit: "an enum value is removed",
    before: object({ a: { type: "string", enum: ["x", "y"] } }, ["a"]),
    after: object({ a: { type: "string", enum: ["x"] } }, ["a"]),
    input: ["request-enum-value-removed", true],
    output: ["response-enum-value-removed", false],
  },
  {
    edit: "an enum value is added",
    before: object({ a: { type: "string", enum: ["x"] } }, ["a"]),
    after: object({ a: { type: "string", enum: ["x", "y"] } }, ["a"]),
    input: ["request-enum-value-added", false],
    output: ["response-enum-value-added", true],
  },
  {
    edit: "maxLength is raised",
    before: object({ a: { type: "string", maxLength: 5 } }, ["a"]),
    after: object({ a: { type: "string", maxLength: 10 } }, ["a"]),
    input: ["request-validation-relaxed", false],
    output: ["response-constraint-relaxed", true],
  },
  {
    edit: "an exclusive maximum is relaxed to an inclusive one",
    before: object({ a: { type: "number", exclusiveMaximum: 10 } }, ["a"]),
    after: object({ a: { type: "number", maximum: 10 } }, ["a"]),
    input: ["request-validation-relaxed", false],
    output: ["response-constraint-relaxed", true],
  },
  {
    edit: "contains is added",
    before: object({ a: { type: "array" } }, ["a"]),
    after: object({ a: { type: "array", contains: { type: "string" } } }, ["a"]),
    input: ["request-constraint-added", true],
    output: ["response-constraint-changed", false],
  },
  {
    edit: "a required field is added",
    before: object({ a: { type: "string" } }, ["a"]),
    after: object({ a: { type: "string" }, b: { type: "integer" } }, ["a", "b"]),
    input: ["required-request-property-added", true],
    output: ["response-property-added", false],
  },
  {
    edit: "a field stops being required",
    before: object({ a: { type: "string" } }, ["a"]),
    after: object({ a: { type: "string" } }),
    input: ["request-property-made-optional", false],
    output: ["response-property-made-optional", true],
  },
  {
    edit: "a field is removed",
    before: object({ a: { type: "string" }, b: { type: "integer" } }, ["a"]),
    after: object({ a: { type: "string" } }, ["a"]),
    input: ["request-property-removed", true],
    output: ["response-property-removed", true],
  },
  {
    edit: "integer widens to number",
    before: object({ a: { type: "integer" } }, ["a"]),
    after: object({ a: { type: "number" } }, ["a"]),
    input: ["request-type-widened", false],
    output: ["response-type-changed", true],
  },
  {
    edit: "a format is dropped",
    before: object({ a: { type: "string", format: "date-time" } }, ["a"]),
    after: object({ a: { type: "string" } }, ["a"]),
    input: ["request-validation-relaxed", false],
    output: ["response-format-changed", true],
  },
];

const table = places.flatMap((p) =>
  edits.map((e) => ({
    ...e,
    place: p.place,
    wrap: p.wrap,
    want: p.direction === "input" ? e.input : e.output,
    direction: p.direction,
  })),
);

describe("direction decides", () => {
  it.each(table)(
    "when $edit in $place, then it is judged as $direction",
    async ({ before, after, wrap, want, direction }) => {
      const result = await diffObjects(wrap(before), wrap(after));
      const [rule, breaking] = want;
      expect(result.findings.map((f) => f.rule)).toEqual([rule]);
      expect(result.findings[0]?.breaking).toBe(breaking);
      expect(result.findings[0]?.direction).toBe(direction);
    },
  );
});
