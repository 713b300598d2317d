/**
 * Deterministic instances of a (dereferenced) JSON Schema for the version proof: one base
 * instance with every property present, then one variant per choice the schema offers (each
 * enum value, each `oneOf`/`anyOf` branch, null where allowed), each differing from the base at
 * that one place. Every enum value a schema can hold therefore appears in some instance, which is
 * how the proof finds response values an older version's document lacks.
 *
 * Strings that must match a pattern use the schema's own `examples`; an instance that does not
 * satisfy its own schema (the generator could not meet a constraint) is dropped by the caller,
 * never reported as a converter failure.
 */

type Schema = Record<string, unknown>;

/** Where a choice is made (the schema path) → which option to take; 0 by default. */
type Picks = ReadonlyMap<string, number>;

interface Choice {
  at: string;
  options: number;
}

const MAX_DEPTH = 12;

function optionsOf(s: Schema): unknown[] | undefined {
  if (Array.isArray(s.enum)) return s.enum as unknown[];
  return undefined;
}

function branchesOf(s: Schema): Schema[] | undefined {
  const b = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  return Array.isArray(b) && b.length > 0 ? b : undefined;
}

function typesOf(s: Schema): string[] {
  const t = s.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === "string" ? [t] : [];
}

function stringFor(s: Schema): string {
  const examples = s.examples as unknown[] | undefined;
  if (Array.isArray(examples) && typeof examples[0] === "string") return examples[0];
  if (typeof s.example === "string") return s.example;
  if (typeof s.default === "string") return s.default;
  if (s.format === "date-time") return "2026-05-07T12:00:00.000Z";
  if (s.format === "date") return "2026-05-07";
  if (s.format === "email") return "ada@example.com";
  if (s.format === "uri" || s.format === "url") return "https://hooks.example.com/wth";
  const min = typeof s.minLength === "number" ? s.minLength : 1;
  return "x".repeat(Math.max(min, 1));
}

function numberFor(s: Schema): number {
  const examples = s.examples as unknown[] | undefined;
  if (Array.isArray(examples) && typeof examples[0] === "number") return examples[0];
  if (typeof s.default === "number") return s.default;
  if (typeof s.minimum === "number") return s.minimum;
  if (typeof s.exclusiveMinimum === "number") return s.exclusiveMinimum + 1;
  return 1;
}

function generate(s: Schema, at: string, picks: Picks, seen: Choice[], depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  if (Object.hasOwn(s, "const")) return s.const;
  const enumValues = optionsOf(s);
  if (enumValues !== undefined) {
    seen.push({ at, options: enumValues.length });
    return enumValues[picks.get(at) ?? 0];
  }
  const branches = branchesOf(s);
  if (branches !== undefined) {
    seen.push({ at, options: branches.length });
    const i = picks.get(at) ?? 0;
    return generate(branches[i] as Schema, `${at}/${i}`, picks, seen, depth + 1);
  }
  if (Array.isArray(s.allOf)) {
    let out: unknown;
    for (const [i, part] of (s.allOf as Schema[]).entries()) {
      const v = generate(part, `${at}&${i}`, picks, seen, depth + 1);
      out =
        out !== null && typeof out === "object" && v !== null && typeof v === "object"
          ? { ...(out as Schema), ...(v as Schema) }
          : (v ?? out);
    }
    return out;
  }
  let types = typesOf(s);
  if (types.length === 0) types = s.properties !== undefined ? ["object"] : ["string"];
  const nonNull = types.filter((t) => t !== "null");
  if (types.includes("null") && nonNull.length > 0) {
    seen.push({ at: `${at}?`, options: 2 });
    if ((picks.get(`${at}?`) ?? 0) === 1) return null;
  }
  switch (nonNull[0] ?? "null") {
    case "null":
      return null;
    case "boolean":
      return true;
    case "integer":
    case "number":
      return numberFor(s);
    case "string":
      return stringFor(s);
    case "array": {
      const items = (s.items ?? {}) as Schema;
      const count = Math.max(typeof s.minItems === "number" ? s.minItems : 1, 1);
      return Array.from({ length: count }, () =>
        generate(items, `${at}[]`, picks, seen, depth + 1),
      );
    }
    default: {
      const out: Schema = {};
      for (const [key, child] of Object.entries((s.properties ?? {}) as Schema)) {
        out[key] = generate(child as Schema, `${at}.${key}`, picks, seen, depth + 1);
      }
      return out;
    }
  }
}

/** The base instance and one variant per choice, at most `limit` in all. */
export function instancesOf(schema: Schema, limit = 200): unknown[] {
  const choices: Choice[] = [];
  const out = [generate(schema, "", new Map(), choices, 0)];
  for (const choice of choices) {
    for (let option = 1; option < choice.options; option++) {
      if (out.length >= limit) return out;
      out.push(generate(schema, "", new Map([[choice.at, option]]), [], 0));
    }
  }
  return out;
}
