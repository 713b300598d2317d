import type { JsonValue, OpenApiDocument } from "./context.ts";

/**
 * Top-level keys in the order a reader expects; any other key (e.g. `x-webhook-signature`)
 * follows in source order. Component maps (`components.schemas`, ...) are sorted by name so
 * the output does not depend on the order in which the bundler hoisted them. Everything else
 * keeps source order: property order in a schema is meaningful to readers of the docs and types.
 */
const TOP_LEVEL_ORDER = [
  "x-generated",
  "openapi",
  "info",
  "jsonSchemaDialect",
  "servers",
  "security",
  "tags",
  "externalDocs",
  "paths",
  "webhooks",
  "components",
];

export function canonicalDocument(doc: OpenApiDocument): OpenApiDocument {
  const out: OpenApiDocument = {};
  for (const key of TOP_LEVEL_ORDER) {
    const value = doc[key];
    if (value !== undefined) out[key] = key === "components" ? sortComponents(value) : value;
  }
  for (const [key, value] of Object.entries(doc)) {
    if (!(key in out)) out[key] = value;
  }
  return out;
}

function sortComponents(components: JsonValue): JsonValue {
  if (!isObject(components)) return components;
  const out: { [key: string]: JsonValue } = {};
  for (const [kind, map] of Object.entries(components)) {
    out[kind] = isObject(map) ? sortKeys(map) : map;
  }
  return out;
}

function sortKeys(map: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(map).sort(compareCodeUnits)) {
    out[key] = map[key] as JsonValue;
  }
  return out;
}

/** Locale-independent ordering, so two machines sort identically. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** 2-space JSON with a trailing newline: the one serialisation every JSON output uses. */
export function stringifyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
