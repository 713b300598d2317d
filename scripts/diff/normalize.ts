/**
 * Puts a resolved JSON Schema into one canonical shape, so that spellings with the same meaning
 * compare equal: `nullable: true`, `type: [x, "null"]` and `oneOf: [x, {type: null}]` become the
 * same type set; `allOf` members merge into one schema whatever their order or nesting; `const`
 * becomes a one-value enum; descriptions and examples are kept aside as documentation.
 */

export interface Bounds {
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
}

export const UPPER_BOUNDS = [
  "maxLength",
  "maximum",
  "exclusiveMaximum",
  "maxItems",
  "maxProperties",
] as const;
export const LOWER_BOUNDS = [
  "minLength",
  "minimum",
  "exclusiveMinimum",
  "minItems",
  "minProperties",
] as const;

export interface NSchema {
  /** Identity for cycle detection. */
  uid: number;
  /** Allowed JSON types, sorted; `undefined` means any type. `integer` implies a number. */
  types: string[] | undefined;
  properties: Map<string, NSchema>;
  required: Set<string>;
  /** `true` when extra properties are allowed (the default), `false`, or their schema. */
  additional: NSchema | boolean;
  items: NSchema | undefined;
  /** Allowed values keyed by their JSON text; `undefined` means no enum. */
  enum: Map<string, unknown> | undefined;
  bounds: Bounds;
  patterns: string[];
  format: string | undefined;
  hasDefault: boolean;
  default: unknown;
  uniqueItems: boolean;
  multipleOf: number | undefined;
  meaning: string | undefined;
  enumMeanings: Record<string, string> | undefined;
  /** Remaining `oneOf`/`anyOf` alternatives after null branches were folded into `types`. */
  variants: NSchema[] | undefined;
  deprecated: boolean;
  readOnly: boolean;
  writeOnly: boolean;
  /** Documentation-only keywords, compared only to report docs edits. */
  docs: string;
  component: string | undefined;
  /**
   * Keywords the canonical fields above do not model (`contains`, `dependentRequired`,
   * `if`/`then`/`else`, `prefixItems`, `propertyNames`, `patternProperties`, `contentEncoding`,
   * unknown ones...). They are kept, never dropped, so `keywords.ts` can judge each change or
   * report that it cannot prove it compatible.
   */
  extra: Map<string, Keyword>;
  /** `x-renamed-from`: the property name this one replaces, the evidence a rename needs. */
  renamedFrom: string | undefined;
}

/** An unmodelled keyword: its raw value, and its subschemas normalised where it has them. */
export interface Keyword {
  raw: unknown;
  schema?: NSchema;
  list?: NSchema[];
  map?: Map<string, NSchema>;
}

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = new Set([
  "contains",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
  "unevaluatedItems",
  "additionalItems",
  "contentSchema",
]);
/** Keywords whose value maps names to subschemas. */
const MAP_KEYWORDS = new Set(["dependentSchemas", "patternProperties"]);
/** Keywords whose value is a list of subschemas. */
const LIST_KEYWORDS = new Set(["prefixItems"]);

/** Keywords the fields of NSchema model, or that carry no validation meaning. */
const MODELLED = new Set([
  "type",
  "nullable",
  "const",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "pattern",
  "format",
  "default",
  "uniqueItems",
  "multipleOf",
  "deprecated",
  "readOnly",
  "writeOnly",
  "title",
  "description",
  "example",
  "examples",
  "oneOf",
  "anyOf",
  "allOf",
  "$ref",
  "$id",
  "$schema",
  "$anchor",
  "$dynamicAnchor",
  "$comment",
  "$defs",
  "definitions",
  "discriminator",
  "xml",
  "externalDocs",
]);

const NUMERIC = [...UPPER_BOUNDS, ...LOWER_BOUNDS];
const JSON_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"];

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function typeOfValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

let nextUid = 1;

function empty(): NSchema {
  return {
    uid: nextUid++,
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
}

function isNullBranch(s: NSchema): boolean {
  if (s.types !== undefined && s.types.length === 1 && s.types[0] === "null") return true;
  return s.enum !== undefined && s.enum.size === 1 && s.enum.has("null");
}

function intersectTypes(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const out = new Set<string>();
  for (const t of a) {
    if (b.includes(t)) out.add(t);
    else if (t === "integer" && b.includes("number")) out.add("integer");
    else if (t === "number" && b.includes("integer")) out.add("integer");
  }
  return [...out].sort();
}

/** Intersection of two schemas (what `allOf` means), keeping the tighter of each constraint. */
export function mergeSchemas(a: NSchema, b: NSchema, depth = 0): NSchema {
  const out = empty();
  out.types = intersectTypes(a.types, b.types);
  out.properties = new Map(a.properties);
  for (const [k, v] of b.properties) {
    const mine = out.properties.get(k);
    out.properties.set(k, mine === undefined || depth > 8 ? v : mergeSchemas(mine, v, depth + 1));
  }
  out.required = new Set([...a.required, ...b.required]);
  if (a.additional === false || b.additional === false) out.additional = false;
  else if (a.additional === true) out.additional = b.additional;
  else if (b.additional === true) out.additional = a.additional;
  else
    out.additional = depth > 8 ? a.additional : mergeSchemas(a.additional, b.additional, depth + 1);
  if (a.items === undefined) out.items = b.items;
  else if (b.items === undefined) out.items = a.items;
  else out.items = depth > 8 ? a.items : mergeSchemas(a.items, b.items, depth + 1);
  if (a.enum === undefined) out.enum = b.enum;
  else if (b.enum === undefined) out.enum = a.enum;
  else out.enum = new Map([...a.enum].filter(([k]) => b.enum?.has(k)));
  for (const key of UPPER_BOUNDS) {
    const x = a.bounds[key];
    const y = b.bounds[key];
    if (x !== undefined || y !== undefined) out.bounds[key] = Math.min(x ?? y ?? 0, y ?? x ?? 0);
  }
  for (const key of LOWER_BOUNDS) {
    const x = a.bounds[key];
    const y = b.bounds[key];
    if (x !== undefined || y !== undefined) out.bounds[key] = Math.max(x ?? y ?? 0, y ?? x ?? 0);
  }
  out.patterns = [...new Set([...a.patterns, ...b.patterns])].sort();
  out.format = a.format ?? b.format;
  out.hasDefault = a.hasDefault || b.hasDefault;
  out.default = a.hasDefault ? a.default : b.default;
  out.uniqueItems = a.uniqueItems || b.uniqueItems;
  out.multipleOf = a.multipleOf ?? b.multipleOf;
  out.meaning = a.meaning ?? b.meaning;
  out.enumMeanings =
    a.enumMeanings === undefined && b.enumMeanings === undefined
      ? undefined
      : { ...b.enumMeanings, ...a.enumMeanings };
  out.deprecated = a.deprecated || b.deprecated;
  out.readOnly = a.readOnly || b.readOnly;
  out.writeOnly = a.writeOnly || b.writeOnly;
  out.docs = [a.docs, b.docs].filter((d) => d !== "").join("\n");
  out.component = a.component ?? b.component;
  out.extra = mergeExtra(a.extra, b.extra);
  if ((a.variants !== undefined || b.variants !== undefined) && depth <= 8) {
    // allOf over a oneOf distributes: keep only the alternatives the other side can still meet,
    // so `allOf: [Event, {data: {object: Customer}}]` is a customer event, not "any resource".
    const left = a.variants ?? [withoutVariants(a)];
    const right = b.variants ?? [withoutVariants(b)];
    const possible = left
      .flatMap((x) =>
        right.map((y) => mergeSchemas(withoutVariants(x), withoutVariants(y), depth + 1)),
      )
      .filter((v) => !impossible(v));
    if (possible.length === 1) return possible[0] as NSchema;
    out.variants = possible.length === 0 ? undefined : possible;
  }
  return out;
}

/**
 * `allOf` members' unmodelled keywords: distinct values of one keyword are both kept (under a
 * numbered key), so a change to either is still seen.
 */
function mergeExtra(a: Map<string, Keyword>, b: Map<string, Keyword>): Map<string, Keyword> {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new Map(a);
  for (const [k, v] of b) {
    const mine = out.get(k);
    if (mine === undefined) out.set(k, v);
    else if (mine.raw !== v.raw) {
      let n = 2;
      while (out.has(`${k}#${n}`)) n++;
      out.set(`${k}#${n}`, v);
    }
  }
  return out;
}

export function withoutVariants(s: NSchema): NSchema {
  return s.variants === undefined ? s : { ...s, uid: nextUid++, variants: undefined };
}

/** True when no value can match: no type left, or a required field with no value left. */
function impossible(s: NSchema): boolean {
  if (s.types !== undefined && s.types.length === 0) return true;
  if (s.enum !== undefined && s.enum.size === 0) return true;
  for (const [name, p] of s.properties) {
    if (!s.required.has(name)) continue;
    if (
      (p.enum !== undefined && p.enum.size === 0) ||
      (p.types !== undefined && p.types.length === 0)
    )
      return true;
  }
  return false;
}

/** The schema that accepts everything (`true`), to compare against a keyword that appeared. */
export function anything(): NSchema {
  return empty();
}

/** Normalises resolved schemas; one instance per document so shared targets stay shared. */
export class Normalizer {
  private readonly memo = new WeakMap<object, NSchema>();

  constructor(private readonly components: WeakMap<object, string> = new WeakMap()) {}

  schema(raw: unknown): NSchema {
    if (raw === true || raw === undefined) return empty();
    if (raw === false || !isObj(raw)) {
      const never = empty();
      never.types = [];
      return never;
    }
    const known = this.memo.get(raw);
    if (known !== undefined) return known;
    const out = empty();
    this.memo.set(raw, out);
    Object.assign(out, this.build(raw), { uid: out.uid });
    return out;
  }

  private keyword(key: string, v: unknown): Keyword {
    if (
      SCHEMA_KEYWORDS.has(key) ||
      key === "items" ||
      (key === "unevaluatedProperties" && v !== false)
    ) {
      return { raw: v, schema: this.schema(v) };
    }
    if (MAP_KEYWORDS.has(key) && isObj(v)) {
      return {
        raw: v,
        map: new Map(Object.entries(v).map(([k, x]) => [k, this.schema(x)] as const)),
      };
    }
    if (LIST_KEYWORDS.has(key) && Array.isArray(v)) {
      return { raw: v, list: v.map((x) => this.schema(x)) };
    }
    return { raw: v };
  }

  private build(raw: Json): NSchema {
    let s = empty();
    s.component = this.components.get(raw);
    let types: string[] | undefined;
    if (typeof raw.type === "string") types = [raw.type];
    else if (Array.isArray(raw.type))
      types = raw.type.filter((t): t is string => typeof t === "string");
    if (raw.nullable === true && types !== undefined && !types.includes("null"))
      types = [...types, "null"];
    if (Array.isArray(raw.enum)) s.enum = new Map(raw.enum.map((v) => [JSON.stringify(v), v]));
    if (Object.hasOwn(raw, "const")) {
      // `const` beside `enum` leaves only the values both allow.
      const key = JSON.stringify(raw.const);
      s.enum = s.enum === undefined || s.enum.has(key) ? new Map([[key, raw.const]]) : new Map();
    }
    if (types === undefined) {
      // Infer the type where the keywords leave no doubt, so `type: object` is not a "change".
      if (s.enum !== undefined) types = [...new Set([...s.enum.values()].map(typeOfValue))];
      else if (
        isObj(raw.properties) ||
        Array.isArray(raw.required) ||
        raw.additionalProperties !== undefined
      )
        types = ["object"];
      else if (raw.items !== undefined) types = ["array"];
    }
    s.types =
      types === undefined
        ? undefined
        : [...new Set(types)].filter((t) => JSON_TYPES.includes(t)).sort();
    if (s.enum !== undefined && s.types?.includes("null")) s.enum.set("null", null);

    if (isObj(raw.properties)) {
      for (const [k, v] of Object.entries(raw.properties)) s.properties.set(k, this.schema(v));
    }
    if (Array.isArray(raw.required)) {
      for (const r of raw.required) if (typeof r === "string") s.required.add(r);
    }
    if (raw.additionalProperties === false) s.additional = false;
    else if (isObj(raw.additionalProperties)) s.additional = this.schema(raw.additionalProperties);
    if (raw.unevaluatedProperties === false) s.additional = false;
    if (raw.items !== undefined && !Array.isArray(raw.items)) s.items = this.schema(raw.items);
    for (const key of NUMERIC) {
      const v = raw[key];
      if (typeof v === "number") s.bounds[key] = v;
    }
    // OpenAPI 3.0 spelling of exclusive bounds.
    if (raw.exclusiveMaximum === true && typeof raw.maximum === "number") {
      s.bounds.exclusiveMaximum = raw.maximum;
      delete s.bounds.maximum;
    }
    if (raw.exclusiveMinimum === true && typeof raw.minimum === "number") {
      s.bounds.exclusiveMinimum = raw.minimum;
      delete s.bounds.minimum;
    }
    if (typeof raw.pattern === "string") s.patterns = [raw.pattern];
    if (typeof raw.format === "string") s.format = raw.format;
    if (Object.hasOwn(raw, "default")) {
      s.hasDefault = true;
      s.default = raw.default;
    }
    s.uniqueItems = raw.uniqueItems === true;
    if (typeof raw.multipleOf === "number") s.multipleOf = raw.multipleOf;
    if (typeof raw["x-meaning"] === "string") s.meaning = raw["x-meaning"];
    if (isObj(raw["x-enum-meanings"])) {
      s.enumMeanings = {};
      for (const [k, v] of Object.entries(raw["x-enum-meanings"])) s.enumMeanings[k] = String(v);
    }
    if (typeof raw["x-renamed-from"] === "string") s.renamedFrom = raw["x-renamed-from"];
    s.deprecated = raw.deprecated === true;
    s.readOnly = raw.readOnly === true;
    s.writeOnly = raw.writeOnly === true;
    const docs: Record<string, unknown> = {};
    for (const k of ["title", "description", "example", "examples", "x-enum-descriptions"]) {
      if (raw[k] !== undefined) docs[k] = raw[k];
    }
    s.docs = Object.keys(docs).length === 0 ? "" : JSON.stringify(docs);
    for (const [k, v] of Object.entries(raw)) {
      if (MODELLED.has(k) || k.startsWith("x-")) continue;
      // `unevaluatedProperties: false` is modelled as closed; any other value is kept.
      if (k === "unevaluatedProperties" && v === false) continue;
      s.extra.set(k, this.keyword(k, v));
    }
    // Beside prefixItems, 2020-12's `items` only holds the elements after the prefix; it stays
    // in `items`, and compare-keywords.ts judges each prefix position against the other side.
    // 3.0 / draft-04 tuple form: `items: [a, b]` is 2020-12's `prefixItems`.
    if (Array.isArray(raw.items)) {
      s.extra.set("prefixItems", this.keyword("prefixItems", raw.items));
    }

    const alternatives = Array.isArray(raw.oneOf)
      ? raw.oneOf
      : Array.isArray(raw.anyOf)
        ? raw.anyOf
        : undefined;
    if (alternatives !== undefined) {
      const branches = alternatives.map((b) => this.schema(b));
      const nulls = branches.filter(isNullBranch);
      const rest = branches.filter((b) => !isNullBranch(b));
      if (nulls.length > 0) s = addNull(s);
      if (rest.length === 1) {
        const only = rest[0] as NSchema;
        s = mergeSchemas(s, nulls.length > 0 ? addNull(only) : only);
        if (nulls.length > 0) s = addNull(s);
      } else if (rest.length > 1) {
        s.variants = nulls.length > 0 ? rest.map(addNull) : rest;
      }
    }
    if (Array.isArray(raw.allOf)) {
      for (const member of raw.allOf) s = mergeSchemas(s, this.schema(member));
    }
    // OpenAPI 3.0's `nullable` beside an allOf/oneOf applies to the combined schema, spelled as
    // 3.1's extra `{type: "null"}` alternative is: null joins every remaining alternative.
    if (raw.nullable === true) {
      s = addNull(s);
      if (s.variants !== undefined && raw.type === undefined)
        s = { ...s, uid: nextUid++, variants: s.variants.map(addNull) };
    }
    return s;
  }
}

function addNull(s: NSchema): NSchema {
  if (s.types === undefined || s.types.includes("null")) return s;
  const copy = { ...s, uid: nextUid++, types: [...s.types, "null"].sort() };
  if (copy.enum !== undefined) copy.enum = new Map([...copy.enum, ["null", null]]);
  return copy;
}
