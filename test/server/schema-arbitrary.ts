/**
 * fast-check arbitraries from the document's JSON Schemas: valid values, and invalid variants
 * (missing required field, unknown field, wrong type) for the property test.
 */
import fc from "fast-check";

type Schema = Record<string, unknown>;
export type Doc = {
  components: { schemas: Record<string, Schema>; parameters?: Record<string, Schema> };
};

export function resolve(doc: Doc, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 20 && typeof s.$ref === "string"; i++) {
    const parts = (s.$ref as string).split("/").slice(1);
    // biome-ignore lint/suspicious/noExplicitAny: walking an arbitrary JSON document by pointer
    let target: any = doc;
    for (const p of parts) target = target?.[p];
    s = target as Schema;
  }
  return s;
}

const alnum = fc.stringMatching(/^[0-9A-Za-z]{1,12}$/);

function stringArb(s: Schema): fc.Arbitrary<string> {
  const min = (s.minLength as number | undefined) ?? 0;
  const max = Math.min((s.maxLength as number | undefined) ?? 40, 60);
  if (s.format === "date-time")
    return fc
      .date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (s.format === "email")
    return fc.tuple(alnum, alnum).map(([a, b]) => `${a}@${b}.example.com`.toLowerCase());
  if (s.format === "uri") return alnum.map((p) => `https://hooks.example.com/${p}`);
  if (typeof s.pattern === "string")
    return fc
      .stringMatching(new RegExp(s.pattern))
      .filter(
        (v) => v.length >= min && v.length <= ((s.maxLength as number | undefined) ?? 10_000),
      );
  return fc
    .string({ minLength: Math.max(min, 0), maxLength: Math.max(max, min) })
    .filter((v) => v.trim().length >= Math.min(min, 1) || min === 0);
}

/** Values valid for `schema` (within the subset of JSON Schema the document uses). */
export function validArb(doc: Doc, schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if (Array.isArray(s.oneOf))
    return fc.oneof(...(s.oneOf as Schema[]).map((o) => validArb(doc, o, depth + 1)));
  if (Array.isArray(s.anyOf))
    return fc.oneof(...(s.anyOf as Schema[]).map((o) => validArb(doc, o, depth + 1)));
  if (Array.isArray(s.allOf))
    return validArb(
      doc,
      Object.assign({}, ...(s.allOf as Schema[]).map((o) => resolve(doc, o))),
      depth,
    );
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string | undefined];
  const arbs = types.map((t) => validOfType(doc, s, t, depth));
  return arbs.length === 1 ? (arbs[0] as fc.Arbitrary<unknown>) : fc.oneof(...arbs);
}

function validOfType(
  doc: Doc,
  s: Schema,
  type: string | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({
        min: (s.minimum as number | undefined) ?? -1_000_000,
        max: (s.maximum as number | undefined) ?? 100_000_000,
      });
    case "number":
      return fc.double({
        min: (s.minimum as number | undefined) ?? -1e6,
        max: (s.maximum as number | undefined) ?? 1e6,
        noNaN: true,
      });
    case "string":
      return stringArb(s);
    case "array": {
      const items = validArb(doc, (s.items as Schema | undefined) ?? {}, depth + 1);
      const minLength = (s.minItems as number | undefined) ?? 0;
      const maxLength = Math.min((s.maxItems as number | undefined) ?? 3, 3);
      return s.uniqueItems === true
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength });
    }
    case "object":
    case undefined: {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set((s.required as string[] | undefined) ?? []);
      if (Object.keys(props).length === 0) {
        // A map such as metadata: a few string entries within its limits.
        const value = s.additionalProperties;
        if (value === false || depth > 4) return fc.constant({});
        const max = Math.min((s.maxProperties as number | undefined) ?? 3, 3);
        return fc.dictionary(
          fc.stringMatching(/^[a-z_]{1,20}$/),
          validArb(
            doc,
            (value as Schema | true) === true ? { type: "string" } : (value as Schema),
            depth + 1,
          ),
          { maxKeys: max },
        );
      }
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, p] of Object.entries(props)) record[name] = validArb(doc, p, depth + 1);
      const optional = Object.keys(props).filter((k) => !required.has(k));
      const arb = fc.record(record, { requiredKeys: [...required] });
      const minProps = (s.minProperties as number | undefined) ?? 0;
      return minProps > 0 && optional.length > 0
        ? arb.filter((o) => Object.keys(o as object).length >= minProps)
        : arb;
    }
    default:
      return fc.constant(null);
  }
}

/** Values that break `schema` in one of the ways clients do. */
export function invalidArb(doc: Doc, schema: Schema): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = (s.required as string[] | undefined) ?? [];
  const base = validArb(doc, s) as fc.Arbitrary<Record<string, unknown>>;
  const variants: fc.Arbitrary<unknown>[] = [
    fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.integer())),
    base.chain((v) =>
      fc.stringMatching(/^[a-z]{3,10}$/).map((extra) => ({ ...v, [`x_${extra}`]: 1 })),
    ),
  ];
  if (required.length > 0) {
    variants.push(
      base.chain((v) =>
        fc.constantFrom(...required).map((k) => {
          const c = { ...v };
          delete c[k];
          return c;
        }),
      ),
    );
  }
  const names = Object.keys(props);
  if (names.length > 0) {
    variants.push(
      base.chain((v) =>
        fc
          .tuple(
            fc.constantFrom(...names),
            fc.oneof(
              fc.constant({ nested: [1] }),
              fc.constant(-1),
              fc.constant("💥".repeat(300)),
              fc.constant(true),
              fc.constant([]),
            ),
          )
          .map(([k, bad]) => ({ ...v, [k]: bad })),
      ),
    );
  }
  return fc.oneof(...variants);
}

/** Every error code an operation documents for a status, read from its response descriptions. */
export function documentedCodes(
  doc: Doc,
  responses: Record<string, Schema>,
): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const [status, r] of Object.entries(responses)) {
    const response = resolve(doc, r);
    const description = String(response.description ?? "");
    const line = /Possible `error\.code` values?: (.*)$/m.exec(description)?.[1] ?? "";
    const codes = new Set([...line.matchAll(/`([a-z_]+)`/g)].map((m) => m[1] as string));
    out.set(Number(status), codes);
  }
  return out;
}
