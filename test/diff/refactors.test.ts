/**
 * Pure refactors and docs-only edits: the public tools flag many of these; ours must report no
 * contract change at all (at most documentation findings, which are never breaking).
 */
import { describe, expect, it } from "vitest";
import { diffObjects } from "../../scripts/diff/diff.ts";
import {
  document,
  object,
  operation,
  parameter,
  requestBody,
  responseBody,
} from "../../scripts/diff/rules/fixtures.ts";

const listing = object(
  {
    id: { type: "string" },
    price: { type: "integer", minimum: 1 },
    year: { type: ["integer", "null"] },
  },
  ["id", "price"],
);

const cases: {
  when: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  docs?: number;
}[] = [
  {
    when: "an inline request schema moves to a $ref",
    before: requestBody(listing),
    after: requestBody(
      { $ref: "#/components/schemas/Listing" },
      { components: { schemas: { Listing: listing } } },
    ),
  },
  {
    when: "an inline response schema moves to a $ref",
    before: responseBody(listing),
    after: responseBody(
      { $ref: "#/components/schemas/Listing" },
      { components: { schemas: { Listing: listing } } },
    ),
  },
  {
    when: "a component is renamed",
    before: responseBody(
      { $ref: "#/components/schemas/Listing" },
      { components: { schemas: { Listing: listing } } },
    ),
    after: responseBody(
      { $ref: "#/components/schemas/WatchListing" },
      { components: { schemas: { WatchListing: listing } } },
    ),
  },
  {
    when: "properties are reordered and required is reordered",
    before: requestBody(object({ a: { type: "string" }, b: { type: "integer" } }, ["a", "b"])),
    after: requestBody(object({ b: { type: "integer" }, a: { type: "string" } }, ["b", "a"])),
  },
  {
    when: "a path parameter is renamed",
    before: operation(
      {
        parameters: [parameter("id", "path", { type: "string" }, true)],
        responses: { "200": { description: "ok" } },
      },
      "/v1/things/{id}",
      "get",
    ),
    after: operation(
      {
        parameters: [parameter("thing_id", "path", { type: "string" }, true)],
        responses: { "200": { description: "ok" } },
      },
      "/v1/things/{thing_id}",
      "get",
    ),
  },
  {
    when: "allOf members are reordered",
    before: responseBody({
      allOf: [object({ a: { type: "string" } }, ["a"]), object({ b: { type: "integer" } }, ["b"])],
    }),
    after: responseBody({
      allOf: [object({ b: { type: "integer" } }, ["b"]), object({ a: { type: "string" } }, ["a"])],
    }),
  },
  {
    when: "nested allOf is flattened into one object",
    before: responseBody({
      allOf: [
        { allOf: [object({ a: { type: "string" } }, ["a"])] },
        object({ b: { type: "integer" } }, ["b"]),
      ],
    }),
    after: responseBody(object({ a: { type: "string" }, b: { type: "integer" } }, ["a", "b"])),
  },
  {
    when: "nullable: true is spelled as a type list",
    before: responseBody(object({ a: { type: "string", nullable: true, maxLength: 5 } }, ["a"])),
    after: responseBody(object({ a: { type: ["string", "null"], maxLength: 5 } }, ["a"])),
  },
  {
    when: "a type list with null is spelled as oneOf with a null branch",
    before: requestBody(object({ a: { type: ["string", "null"], maxLength: 5 } })),
    after: requestBody(
      object({ a: { oneOf: [{ type: "string", maxLength: 5 }, { type: "null" }] } }),
    ),
  },
  {
    when: "a nullable $ref is spelled as anyOf [$ref, null]",
    before: responseBody(
      object({ s: { allOf: [{ $ref: "#/components/schemas/S" }], nullable: true } }, ["s"]),
      { components: { schemas: { S: { type: "string", enum: ["a", "b"] } } } },
    ),
    after: responseBody(
      object({ s: { anyOf: [{ $ref: "#/components/schemas/S" }, { type: "null" }] } }, ["s"]),
      { components: { schemas: { S: { type: "string", enum: ["a", "b"] } } } },
    ),
  },
  {
    when: "const is spelled as a one-value enum",
    before: responseBody(object({ object: { const: "listing" } }, ["object"])),
    after: responseBody(object({ object: { type: "string", enum: ["listing"] } }, ["object"])),
  },
  {
    when: "type: object is left implicit",
    before: requestBody({ type: "object", properties: { a: { type: "string" } } }),
    after: requestBody({ properties: { a: { type: "string" } } }),
  },
  {
    when: "a security scheme component is renamed",
    before: operation(
      { security: [{ bearerAuth: [] }], responses: { "200": { description: "ok" } } },
      "/v1/things",
      "get",
      { components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } } },
    ),
    after: operation(
      { security: [{ apiKey: [] }], responses: { "200": { description: "ok" } } },
      "/v1/things",
      "get",
      {
        components: {
          securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "Your key" } },
        },
      },
    ),
  },
  {
    when: "operation-level security repeats the global default",
    before: document({
      security: [{ b: [] }],
      components: { securitySchemes: { b: { type: "http", scheme: "bearer" } } },
      paths: { "/v1/x": { get: { responses: { "200": { description: "ok" } } } } },
    }),
    after: document({
      security: [{ b: [] }],
      components: { securitySchemes: { b: { type: "http", scheme: "bearer" } } },
      paths: {
        "/v1/x": { get: { security: [{ b: [] }], responses: { "200": { description: "ok" } } } },
      },
    }),
  },
  {
    when: "a parameter moves from the operation to the path item",
    before: document({
      paths: {
        "/v1/x": {
          get: {
            parameters: [parameter("q", "query", { type: "string" })],
            responses: { "200": { description: "ok" } },
          },
        },
      },
    }),
    after: document({
      paths: {
        "/v1/x": {
          parameters: [parameter("q", "query", { type: "string" })],
          get: { responses: { "200": { description: "ok" } } },
        },
      },
    }),
  },
  {
    when: "a response header's name changes case",
    before: operation({
      responses: {
        "200": { description: "ok", headers: { "Request-Id": { schema: { type: "string" } } } },
      },
    }),
    after: operation({
      responses: {
        "200": { description: "ok", headers: { "request-id": { schema: { type: "string" } } } },
      },
    }),
  },
  {
    when: "a $ref gains a description beside it",
    before: responseBody(object({ s: { $ref: "#/components/schemas/S" } }, ["s"]), {
      components: { schemas: { S: { type: "string" } } },
    }),
    after: responseBody(
      object({ s: { $ref: "#/components/schemas/S", description: "Now documented." } }, ["s"]),
      { components: { schemas: { S: { type: "string" } } } },
    ),
  },
  {
    when: "a $ref is wrapped in a one-member allOf",
    before: responseBody(object({ s: { $ref: "#/components/schemas/S" } }, ["s"]), {
      components: { schemas: { S: { type: "string" } } },
    }),
    after: responseBody(object({ s: { allOf: [{ $ref: "#/components/schemas/S" }] } }, ["s"]), {
      components: { schemas: { S: { type: "string" } } },
    }),
  },
  {
    when: "examples change",
    before: responseBody(object({ a: { type: "string", examples: ["x"] } }, ["a"])),
    after: responseBody(object({ a: { type: "string", examples: ["y"] } }, ["a"])),
    docs: 1,
  },
  {
    when: "a summary and a description are reworded",
    before: operation({
      summary: "Create",
      description: "Makes one.",
      responses: { "200": { description: "ok" } },
    }),
    after: operation({
      summary: "Create a thing",
      description: "Makes a thing.",
      responses: { "200": { description: "All good." } },
    }),
    docs: 2,
  },
];

describe("refactors and docs-only edits", () => {
  it.each(cases)(
    "when $when, then no contract change is reported",
    async ({ before, after, docs = 0 }) => {
      const result = await diffObjects(before, after);
      expect(result.breaking).toBe(0);
      expect(result.findings.filter((f) => f.rule !== "documentation-changed")).toEqual([]);
      expect(result.findings.filter((f) => f.rule === "documentation-changed")).toHaveLength(docs);
    },
  );
});
