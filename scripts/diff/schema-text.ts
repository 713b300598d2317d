/**
 * How findings about schemas read: a schema's name in a message, its types as text, its
 * constraints as plain data, and the small comparisons of types and enums several rules share.
 */
import { perNode } from "./memo.ts";
import { type Keyword, LOWER_BOUNDS, type NSchema, UPPER_BOUNDS } from "./normalize.ts";
import { keywordText } from "./shape.ts";
import type { SchemaNode } from "./visitor.ts";

/** How a message names the schema at `pointer`: the field, parameter, header or component. */
export function fieldName(pointer: string, component: string | undefined): string {
  const parts = pointer.split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = parts[parts.length - 1] ?? "";
  const previous = parts[parts.length - 2] ?? "";
  if (previous === "properties") return last;
  if (last === "schema") {
    // A parameter's or header's schema is named after it; a body's after its component.
    if (!previous.includes("/")) return previous;
    return component ?? (parts.includes("requestBody") ? "the request body" : "the response body");
  }
  return component ?? last;
}

/** An unmodelled keyword as plain data for a finding's before/after. */
export function keywordPlain(k: Keyword | undefined): unknown {
  if (k === undefined) return null;
  const text = keywordText(k, 2);
  return k.schema !== undefined || k.map !== undefined || k.list !== undefined ? text : k.raw;
}

/** The constant tag (`object`, `type` or `kind`) that names a `oneOf`/`anyOf` alternative. */
export function variantKey(s: NSchema): string | undefined {
  for (const field of ["object", "type", "kind"]) {
    const p = s.properties.get(field);
    if (p?.enum !== undefined && p.enum.size === 1) return `${field}=${[...p.enum.keys()][0]}`;
  }
  return undefined;
}

function covers(types: string[] | undefined, t: string): boolean {
  if (types === undefined) return true;
  return types.includes(t) || (t === "integer" && types.includes("number"));
}

export function typeText(s: NSchema): string {
  return s.types === undefined ? "any" : s.types.length === 0 ? "nothing" : s.types.join(" | ");
}

export interface TypeDelta {
  /** Types the base allowed that the revision does not (`any` for an untyped base). */
  lost: string[];
  gained: string[];
  before: string;
  after: string;
}

export const typeDelta = perNode((node: SchemaNode): TypeDelta => {
  const { base: b, revision: a } = node;
  const lost =
    b.types === undefined
      ? a.types === undefined
        ? []
        : ["any"]
      : b.types.filter((t) => !covers(a.types, t));
  const gained =
    a.types === undefined
      ? b.types === undefined
        ? []
        : ["any"]
      : a.types.filter((t) => !covers(b.types, t));
  return { lost, gained, before: typeText(b), after: typeText(a) };
});

/**
 * Request types the revision no longer accepts, other than null. A parameter's number or
 * boolean arrives as text, which an unconstrained string still accepts.
 */
export const lostRequestTypes = perNode((node: SchemaNode): string[] => {
  const a = node.revision;
  const textual =
    node.parameter &&
    a.types?.includes("string") === true &&
    a.enum === undefined &&
    a.patterns.length === 0 &&
    a.format === undefined &&
    a.bounds.minLength === undefined &&
    a.bounds.maxLength === undefined;
  return typeDelta(node).lost.filter(
    (t) => t !== "null" && !(textual && ["number", "integer", "boolean"].includes(t)),
  );
});

/** An enum's values keyed by JSON text, without null (null is a type, judged as such). */
export function enumKeys(s: NSchema): Set<string> | undefined {
  if (s.enum === undefined) return undefined;
  return new Set([...s.enum.keys()].filter((k) => k !== "null"));
}

export function enumValues(keys: string[]): unknown[] {
  return keys.map((k) => JSON.parse(k) as unknown);
}

export interface EnumDelta {
  before: Set<string> | undefined;
  after: Set<string> | undefined;
  removed: string[];
  added: string[];
}

/** How a data enum moved; `undefined` when neither side has one or it is an error catalogue. */
export const enumDelta = perNode((node: SchemaNode): EnumDelta | undefined => {
  const { base: b, revision: a } = node;
  if (node.diff.registry.has(b.uid) || node.diff.registry.has(a.uid)) return undefined;
  const be = enumKeys(b);
  const ae = enumKeys(a);
  if (be === undefined && ae === undefined) return undefined;
  const removed = be === undefined ? [] : [...be].filter((k) => ae !== undefined && !ae.has(k));
  const added = ae === undefined ? [] : [...ae].filter((k) => be !== undefined && !be.has(k));
  return { before: be, after: ae, removed, added };
});

export function describeChange(b: NSchema, a: NSchema): string {
  const parts: string[] = [];
  if (typeText(b) !== typeText(a)) parts.push(`type ${typeText(b)} → ${typeText(a)}`);
  if (b.patterns.join() !== a.patterns.join())
    parts.push(`pattern ${b.patterns.join() || "none"} → ${a.patterns.join() || "none"}`);
  if (b.format !== a.format) parts.push(`format ${b.format ?? "none"} → ${a.format ?? "none"}`);
  for (const key of [...UPPER_BOUNDS, ...LOWER_BOUNDS]) {
    if (b.bounds[key] !== a.bounds[key])
      parts.push(`${key} ${b.bounds[key] ?? "none"} → ${a.bounds[key] ?? "none"}`);
  }
  const be = b.enum === undefined ? "none" : [...b.enum.keys()].join(",");
  const ae = a.enum === undefined ? "none" : [...a.enum.keys()].join(",");
  if (be !== ae) parts.push(`enum ${be} → ${ae}`);
  if (JSON.stringify(b.default) !== JSON.stringify(a.default)) {
    parts.push(
      `default ${JSON.stringify(b.default) ?? "none"} → ${JSON.stringify(a.default) ?? "none"}`,
    );
  }
  return parts.length === 0 ? "its schema differs" : parts.join("; ");
}

/** The constraints of a schema as plain data, for a finding's before/after. */
export function summaryOf(s: NSchema): Record<string, unknown> {
  const out: Record<string, unknown> = { type: s.types ?? "any" };
  if (s.enum !== undefined) out.enum = [...s.enum.values()];
  if (s.patterns.length > 0) out.pattern = s.patterns.join(" & ");
  if (s.format !== undefined) out.format = s.format;
  Object.assign(out, s.bounds);
  if (s.hasDefault) out.default = s.default;
  if (s.properties.size > 0) out.properties = [...s.properties.keys()];
  return out;
}

/** A header's or pagination schema's change as one finding: what it was, is, and how. */
export function formatChange(node: SchemaNode): { before: unknown; after: unknown; how: string } {
  return {
    before: summaryOf(node.base),
    after: summaryOf(node.revision),
    how: describeChange(node.base, node.revision),
  };
}
