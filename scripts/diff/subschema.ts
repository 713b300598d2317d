/**
 * The subschema check behind every schema verdict: does `wide` accept every instance `narrow`
 * accepts? A request change is safe when the revision includes the base; a response change is
 * safe when the base includes the revision. The answer is "yes" only when proved, "no" when a
 * counter-instance is certain, and "unknown" otherwise — callers treat "unknown" as breaking.
 */
import type { Keyword, NSchema } from "./normalize.ts";
import { keywordText, shapeOf } from "./shape.ts";

export type Verdict = "yes" | "no" | "unknown";

/** How the instance set of a revision relates to the base's. */
export type Change = "same" | "wider" | "narrower" | "incomparable" | "unknown";

function and(x: Verdict, y: Verdict): Verdict {
  if (x === "no" || y === "no") return "no";
  if (x === "unknown" || y === "unknown") return "unknown";
  return "yes";
}

/** Combines the two inclusions into how the revision's instance set moved. */
export function changeOf(baseInRevision: Verdict, revisionInBase: Verdict): Change {
  if (baseInRevision === "yes" && revisionInBase === "yes") return "same";
  if (baseInRevision === "yes") return revisionInBase === "no" ? "wider" : "unknown";
  if (revisionInBase === "yes") return baseInRevision === "no" ? "narrower" : "unknown";
  if (baseInRevision === "no" && revisionInBase === "no") return "incomparable";
  return "unknown";
}

export function compareSets(b: NSchema, a: NSchema): Change {
  return changeOf(includes(a, b), includes(b, a));
}

function asText(wide: NSchema, t: string): boolean {
  return (
    allowance.textual === true &&
    ["number", "integer", "boolean"].includes(t) &&
    wide.types?.includes("string") === true &&
    wide.patterns.length === 0 &&
    wide.format === undefined &&
    wide.bounds.minLength === undefined &&
    wide.bounds.maxLength === undefined
  );
}

function coversType(types: string[] | undefined, t: string): boolean {
  if (types === undefined) return true;
  return types.includes(t) || (t === "integer" && types.includes("number"));
}

/** Effective upper bound as [value, exclusive]; integers turn exclusive bounds inclusive. */
export function upperBound(s: NSchema): [number, boolean] | undefined {
  const integer = s.types?.every((t) => t === "integer" || t === "null") === true;
  const m = s.bounds.maximum;
  let x = s.bounds.exclusiveMaximum;
  let xm: [number, boolean] | undefined;
  if (x !== undefined) {
    if (integer) {
      x = Math.ceil(x) - 1;
      xm = [x, false];
    } else xm = [x, true];
  }
  if (m === undefined) return xm;
  if (xm === undefined) return [m, false];
  return xm[0] < m || (xm[0] === m && xm[1]) ? xm : [m, false];
}

export function lowerBound(s: NSchema): [number, boolean] | undefined {
  const integer = s.types?.every((t) => t === "integer" || t === "null") === true;
  const m = s.bounds.minimum;
  let x = s.bounds.exclusiveMinimum;
  let xm: [number, boolean] | undefined;
  if (x !== undefined) {
    if (integer) {
      x = Math.floor(x) + 1;
      xm = [x, false];
    } else xm = [x, true];
  }
  if (m === undefined) return xm;
  if (xm === undefined) return [m, false];
  return xm[0] > m || (xm[0] === m && xm[1]) ? xm : [m, false];
}

/** -1 when `x` allows less than `y` as an upper bound, 0 equal, 1 more. */
export function compareUpper(
  x: [number, boolean] | undefined,
  y: [number, boolean] | undefined,
): number {
  if (x === undefined) return y === undefined ? 0 : 1;
  if (y === undefined) return -1;
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
  if (x[1] === y[1]) return 0;
  return x[1] ? -1 : 1;
}

/** -1 when `x` allows less than `y` as a lower bound, 0 equal, 1 more. */
export function compareLower(
  x: [number, boolean] | undefined,
  y: [number, boolean] | undefined,
): number {
  if (x === undefined) return y === undefined ? 0 : 1;
  if (y === undefined) return -1;
  if (x[0] !== y[0]) return x[0] > y[0] ? -1 : 1;
  if (x[1] === y[1]) return 0;
  return x[1] ? -1 : 1;
}

const LENGTHS: [string, string][] = [
  ["minLength", "maxLength"],
  ["minItems", "maxItems"],
  ["minProperties", "maxProperties"],
];

function matches(pattern: string, value: unknown): boolean | undefined {
  if (typeof value !== "string") return true;
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return undefined;
  }
}

function isAny(s: NSchema): boolean {
  return (
    s.types === undefined &&
    s.enum === undefined &&
    s.variants === undefined &&
    s.properties.size === 0 &&
    s.required.size === 0 &&
    s.additional === true &&
    s.items === undefined &&
    Object.keys(s.bounds).length === 0 &&
    s.patterns.length === 0 &&
    s.format === undefined &&
    !s.uniqueItems &&
    s.multipleOf === undefined &&
    s.extra.size === 0
  );
}

/**
 * Proves `narrow ⊆ wide`. Recursion through a cycle assumes the pair holds (coinduction), which
 * is sound for the finite instances a schema describes.
 */
export interface Allowance {
  /**
   * DESIGN.md's additions: a property the wide side lists and the narrow side does not (a new
   * optional request field, judged from the request side), or the narrow side lists and the wide
   * side does not (a new response field), is not counted against inclusion.
   */
  newFields?: "wide" | "narrow";
  /** Enums whose values are judged elsewhere (the error-code catalogue). */
  ignoreEnums?: Set<number>;
  /** A parameter: values travel as text, so an unconstrained string takes numbers and booleans. */
  textual?: boolean;
}

let allowance: Allowance = {};

/** Runs `includes` with DESIGN.md's allowances (the backstop of compare-document.ts). */
export function includesAllowing(wide: NSchema, narrow: NSchema, allow: Allowance): Verdict {
  const saved = allowance;
  allowance = allow;
  try {
    return includes(wide, narrow);
  } finally {
    allowance = saved;
  }
}

export function includes(wide: NSchema, narrow: NSchema, seen = new Set<string>()): Verdict {
  if (wide === narrow) return "yes";
  const key = `${wide.uid}:${narrow.uid}`;
  if (seen.has(key)) return "yes";
  seen.add(key);
  if (isAny(wide)) return "yes";
  if (shapeOf(wide, 6) === shapeOf(narrow, 6)) return "yes";
  if (narrow.types !== undefined && narrow.types.length === 0) return "yes";

  // Alternatives: every narrow alternative must fit the wide side.
  if (narrow.variants !== undefined) {
    let all: Verdict = "yes";
    for (const v of narrow.variants) all = and(all, includes(wide, v, seen));
    return all;
  }
  if (wide.variants !== undefined) {
    let best: Verdict = "no";
    for (const v of wide.variants) {
      const r = includes(v, narrow, seen);
      if (r === "yes") return "yes";
      if (r === "unknown") best = "unknown";
    }
    // Fitting no single alternative can still fit their union; that needs a real proof.
    return best === "no" && wide.variants.length > 1 ? "unknown" : best;
  }

  const ignored = allowance.ignoreEnums;
  if (ignored !== undefined && (ignored.has(wide.uid) || ignored.has(narrow.uid))) return "yes";
  // An enum on the narrow side is checked value by value against the wide side.
  if (narrow.enum !== undefined) return enumIncluded(wide, narrow);
  if (wide.enum !== undefined) return "no";

  let result: Verdict = "yes";
  if (narrow.types === undefined) {
    if (wide.types !== undefined) return "no";
  } else if (!narrow.types.every((t) => coversType(wide.types, t) || asText(wide, t))) return "no";
  const has = (t: string) => coversType(narrow.types, t);

  if (has("number") || has("integer")) {
    if (compareUpper(upperBound(narrow), upperBound(wide)) > 0) return "no";
    if (compareLower(lowerBound(narrow), lowerBound(wide)) > 0) return "no";
    if (wide.multipleOf !== undefined) {
      const n = narrow.multipleOf;
      if (n === undefined || !Number.isInteger(n / wide.multipleOf)) return "no";
    }
  }
  for (const [lo, hi] of LENGTHS) {
    const w = wide.bounds as Record<string, number | undefined>;
    const n = narrow.bounds as Record<string, number | undefined>;
    const wl = w[lo];
    const wh = w[hi];
    if (wl !== undefined && (n[lo] ?? 0) < wl) return "no";
    if (wh !== undefined && (n[hi] ?? Number.POSITIVE_INFINITY) > wh) return "no";
  }
  if (has("string")) {
    for (const p of wide.patterns) {
      // Regex inclusion is not decided here: a different pattern is "unknown", none is "no".
      if (!narrow.patterns.includes(p))
        result = and(result, narrow.patterns.length === 0 ? "no" : "unknown");
    }
    if (wide.format !== undefined && wide.format !== narrow.format) return "no";
  }
  if (has("array")) {
    if (wide.uniqueItems && !narrow.uniqueItems) return "no";
    if (wide.items !== undefined)
      result = and(result, includes(wide.items, narrow.items ?? anySchema, seen));
  }
  if (has("object")) result = and(result, objectIncluded(wide, narrow, seen));
  result = and(result, extraIncluded(wide, narrow, seen));
  return result;
}

const anySchema: NSchema = {
  uid: -1,
  types: undefined,
  properties: new Map(),
  required: new Set(),
  additional: true,
  items: undefined,
  enum: undefined,
  bounds: {},
  patterns: [],
  format: undefined,
  hasDefault: false,
  default: undefined,
  uniqueItems: false,
  multipleOf: undefined,
  meaning: undefined,
  enumMeanings: undefined,
  variants: undefined,
  deprecated: false,
  readOnly: false,
  writeOnly: false,
  docs: "",
  component: undefined,
  extra: new Map(),
  renamedFrom: undefined,
};

function enumIncluded(wide: NSchema, narrow: NSchema): Verdict {
  let result: Verdict = "yes";
  for (const value of narrow.enum?.values() ?? []) result = and(result, accepts(wide, value));
  return result;
}

function typeOfValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Whether `s` accepts the JSON value `v`, as far as the modelled keywords decide it. */
export function accepts(s: NSchema, v: unknown): Verdict {
  if (s.variants !== undefined) {
    let best: Verdict = "no";
    for (const x of s.variants) {
      const r = accepts(x, v);
      if (r === "yes") return "yes";
      if (r === "unknown") best = "unknown";
    }
    return best;
  }
  if (s.enum !== undefined) return s.enum.has(JSON.stringify(v)) ? "yes" : "no";
  if (s.types !== undefined && !coversType(s.types, typeOfValue(v))) return "no";
  if (typeof v === "string") {
    for (const p of s.patterns) {
      const m = matches(p, v);
      if (m === undefined) return "unknown";
      if (!m) return "no";
    }
    if (s.bounds.minLength !== undefined && [...v].length < s.bounds.minLength) return "no";
    if (s.bounds.maxLength !== undefined && [...v].length > s.bounds.maxLength) return "no";
    if (s.format !== undefined) return "unknown";
  }
  if (typeof v === "number") {
    const hi = upperBound(s);
    const lo = lowerBound(s);
    if (hi !== undefined && (v > hi[0] || (hi[1] && v === hi[0]))) return "no";
    if (lo !== undefined && (v < lo[0] || (lo[1] && v === lo[0]))) return "no";
    if (s.multipleOf !== undefined && !Number.isInteger(v / s.multipleOf)) return "no";
  }
  if (v !== null && typeof v === "object") return "unknown";
  return s.extra.size === 0 ? "yes" : "unknown";
}

function objectIncluded(wide: NSchema, narrow: NSchema, seen: Set<string>): Verdict {
  let result: Verdict = "yes";
  for (const r of wide.required) if (!narrow.required.has(r)) return "no";
  for (const [k, w] of wide.properties) {
    const n = narrow.properties.get(k);
    if (n === undefined && allowance.newFields === "wide") continue;
    if (n !== undefined) result = and(result, includes(w, n, seen));
    else if (narrow.additional === true) {
      if (!isAny(w)) result = and(result, "no");
    } else if (narrow.additional !== false)
      result = and(result, includes(w, narrow.additional, seen));
  }
  for (const [k, n] of narrow.properties) {
    if (wide.properties.has(k) || allowance.newFields === "narrow") continue;
    if (wide.additional === false) return "no";
    if (wide.additional !== true) result = and(result, includes(wide.additional, n, seen));
  }
  if (narrow.additional !== false && wide.additional !== true) {
    if (wide.additional === false) return "no";
    result = and(
      result,
      includes(wide.additional, narrow.additional === true ? anySchema : narrow.additional, seen),
    );
  }
  return result;
}

/**
 * Unmodelled keywords: every keyword of the wide side must be matched by an equal one on the
 * narrow side (or be proved looser by `keywords.ts`); extra ones on the narrow side only narrow it.
 */
function extraIncluded(wide: NSchema, narrow: NSchema, seen: Set<string>): Verdict {
  let result: Verdict = "yes";
  for (const [k, w] of wide.extra) {
    const n = narrow.extra.get(k);
    if (n !== undefined && keywordText(n) === keywordText(w)) continue;
    result = and(result, keywordIncluded(k, w, n, narrow, seen));
  }
  return result;
}

/** Does the narrow side (with keyword value `n`, maybe absent) satisfy wide's keyword `w`? */
export function keywordIncluded(
  key: string,
  w: Keyword,
  n: Keyword | undefined,
  narrow: NSchema,
  seen: Set<string>,
): Verdict {
  const base = key.replace(/#\d+$/, "");
  if (n === undefined) {
    // Annotation-only keywords constrain nothing.
    if (["minContains", "maxContains"].includes(base) && !narrow.extra.has("contains"))
      return "yes";
    if (base === "propertyNames" && w.schema !== undefined && narrow.additional === false) {
      let r: Verdict = "yes";
      for (const name of narrow.properties.keys()) r = and(r, accepts(w.schema, name));
      return r;
    }
    return "no";
  }
  if (w.schema !== undefined && n.schema !== undefined) {
    if (base === "not") return includes(n.schema, w.schema, seen);
    if (
      [
        "contains",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "additionalItems",
        "then",
        "else",
        "contentSchema",
      ].includes(base)
    )
      return includes(w.schema, n.schema, seen);
    return "unknown";
  }
  if (w.map !== undefined && n.map !== undefined && base === "dependentSchemas") {
    let r: Verdict = "yes";
    for (const [name, ws] of w.map) {
      const ns = n.map.get(name);
      r = and(r, ns === undefined ? "no" : includes(ws, ns, seen));
    }
    return r;
  }
  if (w.list !== undefined && n.list !== undefined && base === "prefixItems") {
    let r: Verdict = "yes";
    w.list.forEach((ws, i) => {
      const ns = n.list?.[i];
      r = and(r, ns === undefined ? "unknown" : includes(ws, ns, seen));
    });
    return r;
  }
  if (base === "dependentRequired") return dependentRequiredIncluded(w.raw, n.raw);
  if (base === "minContains" && typeof w.raw === "number" && typeof n.raw === "number")
    return n.raw >= w.raw ? "yes" : "no";
  if (base === "maxContains" && typeof w.raw === "number" && typeof n.raw === "number")
    return n.raw <= w.raw ? "yes" : "no";
  if (["contentEncoding", "contentMediaType"].includes(base)) return "no";
  return "unknown";
}

function dependentRequiredIncluded(w: unknown, n: unknown): Verdict {
  if (w === null || typeof w !== "object" || n === null || typeof n !== "object") return "unknown";
  const wm = w as Record<string, unknown>;
  const nm = n as Record<string, unknown>;
  for (const [k, list] of Object.entries(wm)) {
    if (!Array.isArray(list)) return "unknown";
    const mine = nm[k];
    if (!Array.isArray(mine)) return list.length === 0 ? "yes" : "no";
    if (!list.every((x) => mine.includes(x))) return "no";
  }
  return "yes";
}
