/**
 * Small helpers for converters. They return new objects and keep the other keys in place (and
 * in order), so a converted response reads like one the older version's handler wrote.
 */
import type { JsonObject } from "./change.ts";

/** Renames `from` to `to`, keeping its position; an object without `from` is returned as is. */
export function renameField(object: JsonObject, from: string, to: string): JsonObject {
  if (!Object.hasOwn(object, from)) return object;
  // for-in rather than Object.entries: converters run per object per hop, and entries' pair
  // arrays made renaming ~5× slower (bench/versions.ts). Objects here are plain parsed JSON.
  const out: JsonObject = {};
  for (const key in object) out[key === from ? to : key] = object[key];
  return out;
}

/** Replaces field `from` by `to` with a value computed from the old one, keeping its position. */
export function replaceField(
  object: JsonObject,
  from: string,
  to: string,
  convert: (value: unknown) => unknown,
): JsonObject {
  if (!Object.hasOwn(object, from)) return object;
  const out: JsonObject = {};
  for (const key in object) {
    if (key === from) out[to] = convert(object[key]);
    else out[key] = object[key];
  }
  return out;
}

/** Maps one enum value to another (values not in `map` are kept). */
export function mapValue(
  object: JsonObject,
  field: string,
  map: Record<string, string>,
): JsonObject {
  const value = object[field];
  if (typeof value !== "string" || !Object.hasOwn(map, value)) return object;
  return { ...object, [field]: map[value] };
}

/** Sets `field` to `value` when the body does not have it (a field that became required). */
export function withDefault(object: JsonObject, field: string, value: unknown): JsonObject {
  return Object.hasOwn(object, field) ? object : { ...object, [field]: value };
}
