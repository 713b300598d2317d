/**
 * A structural fingerprint of a normalised schema, documentation left out. Two schemas with the
 * same fingerprint accept and produce the same data, which is how a removed field and an added
 * field are recognised as one rename, and how a header's "format" is compared as a whole.
 */
import type { Keyword, NSchema } from "./normalize.ts";

const memo = new WeakMap<NSchema, Map<number, string>>();

export function shapeOf(s: NSchema, depth = 4): string {
  let byDepth = memo.get(s);
  const known = byDepth?.get(depth);
  if (known !== undefined) return known;
  const parts: string[] = [];
  parts.push(`t:${s.types?.join("|") ?? "*"}`);
  if (s.enum !== undefined) parts.push(`e:${[...s.enum.keys()].sort().join(",")}`);
  for (const [k, v] of Object.entries(s.bounds).sort()) parts.push(`${k}:${v}`);
  if (s.patterns.length > 0) parts.push(`p:${s.patterns.join("&")}`);
  if (s.format !== undefined) parts.push(`f:${s.format}`);
  if (s.hasDefault) parts.push(`d:${JSON.stringify(s.default)}`);
  if (s.uniqueItems) parts.push("u");
  if (s.multipleOf !== undefined) parts.push(`m:${s.multipleOf}`);
  if (s.meaning !== undefined) parts.push(`xm:${s.meaning}`);
  if (s.enumMeanings !== undefined)
    parts.push(`xem:${JSON.stringify(Object.entries(s.enumMeanings).sort())}`);
  if (s.required.size > 0) parts.push(`r:${[...s.required].sort().join(",")}`);
  if (depth > 0) {
    const props = [...s.properties.keys()].sort();
    for (const k of props)
      parts.push(`.${k}{${shapeOf(s.properties.get(k) as NSchema, depth - 1)}}`);
    if (s.items !== undefined) parts.push(`[${shapeOf(s.items, depth - 1)}]`);
    if (typeof s.additional === "object") parts.push(`+{${shapeOf(s.additional, depth - 1)}}`);
    if (s.variants !== undefined) {
      parts.push(
        `v(${s.variants
          .map((v) => shapeOf(v, depth - 1))
          .sort()
          .join("/")})`,
      );
    }
  } else if (s.properties.size > 0) {
    parts.push(`.${[...s.properties.keys()].sort().join(",")}`);
  }
  if (s.additional === false) parts.push("closed");
  for (const [k, v] of [...s.extra].sort(([x], [y]) => x.localeCompare(y)))
    parts.push(`x:${k}=${keywordText(v, depth)}`);
  const shape = parts.join(";");
  if (byDepth === undefined) {
    byDepth = new Map();
    memo.set(s, byDepth);
  }
  byDepth.set(depth, shape);
  return shape;
}

/** A comparable text of an unmodelled keyword's value: subschemas by shape, the rest as JSON. */
export function keywordText(k: Keyword, depth = 4): string {
  if (k.schema !== undefined) return `{${shapeOf(k.schema, Math.max(depth - 1, 0))}}`;
  if (k.map !== undefined)
    return [...k.map]
      .map(([name, x]) => `${name}:{${shapeOf(x, Math.max(depth - 1, 0))}}`)
      .sort()
      .join(",");
  if (k.list !== undefined)
    return k.list.map((x) => `{${shapeOf(x, Math.max(depth - 1, 0))}}`).join(",");
  try {
    return JSON.stringify(k.raw) ?? "undefined";
  } catch {
    // A value that holds a resolved cycle has no JSON text; only its identity is comparable.
    return "[cyclic]";
  }
}
