/**
 * The subschema principle against a real validator: random schema pairs where the revision is
 * the base with one keyword changed, judged by instances sampled from a small domain that hits
 * the bounds. An instance the base accepts and the revision rejects must never pass a request
 * as non-breaking; one the revision accepts and the base rejects must never pass a response.
 */
import Ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffObjects } from "../../scripts/diff/diff.ts";
import { requestBody, responseBody } from "../../scripts/diff/rules/fixtures.ts";

type Json = Record<string, unknown>;

const STRINGS = ["", "a", "ab", "abc", "b", "x1", "main", "Z"];
const INTS = [-3, -1, 0, 1, 2, 3, 5, 9, 10, 11, 12];
const NUMBERS = [...INTS, 0.5, 2.5, 10.5];

const scalar = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.constantFrom(...NUMBERS),
  fc.boolean(),
  fc.constant(null),
);
const instance: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  fc.dictionary(fc.constantFrom("a", "b", "c", "x-a"), scalar, { maxKeys: 3 }),
);

const small = fc.constantFrom(0, 1, 2, 3, 5, 10);
const leaf = fc.oneof(
  fc.constant({ type: "string" }),
  fc.constant({ type: "integer" }),
  fc.constant({ type: "number", maximum: 10 }),
  fc.constant({ type: "string", maxLength: 2 }),
  fc.constant({ const: "main" }),
  fc.constant({ type: ["string", "integer"] }),
);

/** Each keyword with values it may take; `undefined` removes it. */
const KEYWORDS: Record<string, fc.Arbitrary<unknown>> = {
  type: fc.constantFrom("string", "integer", "number", "array", "object", ["string", "integer"]),
  minimum: small,
  maximum: small,
  exclusiveMinimum: small,
  exclusiveMaximum: small,
  multipleOf: fc.constantFrom(1, 2, 5),
  minLength: small,
  maxLength: small,
  pattern: fc.constantFrom("^a", "b$", "^[a-z]*$"),
  enum: fc.constantFrom(["a", "b"], ["a"], [1, 2, 3], ["a", 1]),
  const: fc.constantFrom("a", 1, "main"),
  items: leaf,
  prefixItems: fc.array(leaf, { minLength: 1, maxLength: 2 }),
  contains: leaf,
  minContains: small,
  maxContains: small,
  minItems: small,
  maxItems: small,
  uniqueItems: fc.boolean(),
  properties: fc.dictionary(fc.constantFrom("a", "b"), leaf, { maxKeys: 2 }),
  required: fc.subarray(["a", "b"]),
  additionalProperties: fc.oneof(fc.boolean(), leaf),
  dependentRequired: fc.constantFrom({ a: ["b"] }, { b: ["a"] }),
  dependentSchemas: fc.constantFrom({ a: { required: ["b"] } }, { a: { maxProperties: 1 } }),
  propertyNames: fc.constantFrom({ maxLength: 1 }, { pattern: "^[a-z]+$" }),
  patternProperties: fc.constantFrom({ "^x-": { type: "string" } }, { "^a": { type: "integer" } }),
  minProperties: small,
  maxProperties: small,
  if: fc.constantFrom({ required: ["a"] }, { type: "string" }),
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
  then: fc.constantFrom({ required: ["b"] }, { maxLength: 1 }),
  else: fc.constantFrom({ minLength: 2 }, { maxProperties: 1 }),
  not: leaf,
  anyOf: fc.array(leaf, { minLength: 1, maxLength: 3 }),
};
const NAMES = Object.keys(KEYWORDS);

const keywordSet = fc
  .uniqueArray(fc.constantFrom(...NAMES), { minLength: 0, maxLength: 3 })
  .chain((names) =>
    fc.tuple(...names.map((n) => (KEYWORDS[n] as fc.Arbitrary<unknown>).map((v) => [n, v]))),
  )
  .map((entries) => Object.fromEntries(entries as [string, unknown][]) as Json);

const pair = keywordSet.chain((base) =>
  fc
    .constantFrom(...NAMES)
    .chain((name) =>
      fc.oneof(
        (KEYWORDS[name] as fc.Arbitrary<unknown>).map((v) => ({ ...base, [name]: v })),
        fc.constant(Object.fromEntries(Object.entries(base).filter(([k]) => k !== name))),
      ),
    )
    .map((revision) => ({ base, revision: revision as Json })),
);

/**
 * The diff reads a schema with `properties` (or `items`, or an enum) but no `type` as having the
 * type those keywords imply, because documents omit `type: object` everywhere (docs/diff.md,
 * "How differences are judged"). A pair that only spells that implied type is skipped.
 */
function impliedTypeOnly(base: Json, revision: Json): boolean {
  const [withType, without] =
    "type" in revision && !("type" in base)
      ? [revision, base]
      : "type" in base && !("type" in revision)
        ? [base, revision]
        : [];
  if (withType === undefined || without === undefined) return false;
  const rest = (s: Json) => JSON.stringify(Object.entries(s).filter(([k]) => k !== "type"));
  if (rest(withType) !== rest(without)) return false;
  const implied =
    "const" in without || "enum" in without
      ? undefined
      : "properties" in without || "required" in without || "additionalProperties" in without
        ? "object"
        : "items" in without
          ? "array"
          : undefined;
  return implied !== undefined && withType.type === implied;
}

/**
 * DESIGN.md's additions, the documented exceptions to the principle: a property the revision
 * lists and the base did not is a new optional request field or a new response field. An
 * instance that differs only through such a property does not count.
 */
function usesNewField(x: unknown, base: Json, revision: Json): boolean {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return false;
  const listed = (s: Json) => Object.keys((s.properties as Json | undefined) ?? {});
  const fresh = listed(revision).filter((k) => !listed(base).includes(k));
  return fresh.some((k) => Object.hasOwn(x, k));
}

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });

function validator(schema: Json): ((v: unknown) => boolean) | undefined {
  // Ajv 8.20 accepts `[]` for `contains` beside `prefixItems`; 2020-12 requires a match, so such
  // schemas are left out rather than judged by a validator that disagrees with the spec.
  if ("contains" in schema && "prefixItems" in schema) return undefined;
  try {
    const v = ajv.compile(schema);
    return (x) => v(x) === true;
  } catch {
    return undefined;
  }
}

const SAMPLES = fc.sample(instance, { numRuns: 400, seed: 18 });

describe("the subschema principle against sampled instances", () => {
  it("when a request schema changes one keyword, then an instance it no longer accepts is never judged non-breaking", async () => {
    await fc.assert(
      fc.asyncProperty(pair, async ({ base, revision }) => {
        const oldAccepts = validator(base);
        const newAccepts = validator(revision);
        if (oldAccepts === undefined || newAccepts === undefined || impliedTypeOnly(base, revision))
          return;
        const lost = SAMPLES.find(
          (x) => oldAccepts(x) && !newAccepts(x) && !usesNewField(x, base, revision),
        );
        if (lost === undefined) return;
        const result = await diffObjects(requestBody(base), requestBody(revision));
        expect(
          result.breaking,
          `request ${JSON.stringify(base)} → ${JSON.stringify(revision)} rejects ${JSON.stringify(lost)}`,
        ).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 1818 },
    );
  });

  it("when a response schema changes one keyword, then an instance it newly produces is never judged non-breaking", async () => {
    await fc.assert(
      fc.asyncProperty(pair, async ({ base, revision }) => {
        const oldAccepts = validator(base);
        const newAccepts = validator(revision);
        if (oldAccepts === undefined || newAccepts === undefined || impliedTypeOnly(base, revision))
          return;
        const gained = SAMPLES.find(
          (x) => newAccepts(x) && !oldAccepts(x) && !usesNewField(x, base, revision),
        );
        if (gained === undefined) return;
        const result = await diffObjects(responseBody(base), responseBody(revision));
        expect(
          result.breaking,
          `response ${JSON.stringify(base)} → ${JSON.stringify(revision)} may produce ${JSON.stringify(gained)}`,
        ).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 1818 },
    );
  });
});
