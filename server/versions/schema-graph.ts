/**
 * Where a named schema occurs inside another, in one bundled (dereferenced) document. The
 * bundle inlines every `$ref`, so an occurrence of `components.schemas.S` is recognised by its
 * content: a subschema whose canonical JSON equals S's is S. From that, `compilePlan` builds one
 * function per (document, schema) that applies the converters keyed by schema name wherever
 * those schemas appear: at the top, nested in properties, in array items, in `oneOf`/`anyOf`
 * branches (chosen by the branch's `object` constant or JSON type), in `allOf` parts and in
 * `additionalProperties`. Nested values are converted before the object that holds them, so a
 * parent's converter sees children already in the older shape and may move them freely.
 * A converter that throws unwinds as a StepFailure whose path is the JSON pointer of the value
 * it failed on (try/catch costs nothing on the path that does not throw).
 */

import { failedWithin } from "./conversion-error.ts";

type Schema = Record<string, unknown>;
export type ValueStep = (value: unknown) => unknown;

export interface SchemaGraph {
  /** The component names whose content is exactly `node` (usually one, sometimes none). */
  namesOf(node: unknown): readonly string[];
  /** `components.schemas[name]`, or undefined. */
  schema(name: string): Schema | undefined;
}

/** JSON with sorted keys: equal for equal schemas whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Schema)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function schemaGraphOf(doc: Record<string, unknown>): SchemaGraph {
  const schemas = ((doc.components as { schemas?: Record<string, Schema> } | undefined)?.schemas ??
    {}) as Record<string, Schema>;
  const byContent = new Map<string, string[]>();
  for (const [name, schema] of Object.entries(schemas)) {
    const key = canonical(schema);
    const names = byContent.get(key);
    if (names === undefined) byContent.set(key, [name]);
    else names.push(name);
  }
  const seen = new WeakMap<object, readonly string[]>();
  const none: readonly string[] = [];
  return {
    namesOf(node) {
      if (node === null || typeof node !== "object") return none;
      let names = seen.get(node);
      if (names === undefined) {
        names = byContent.get(canonical(node)) ?? none;
        seen.set(node, names);
      }
      return names;
    },
    schema: (name) => schemas[name],
  };
}

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? "number" : typeof v;

/** A predicate telling whether a value belongs to a `oneOf`/`anyOf` branch, cheaply. */
function branchTest(branch: Schema): (v: unknown) => boolean {
  const objectConst = ((branch.properties as Schema | undefined)?.object as Schema | undefined)
    ?.const;
  if (typeof objectConst === "string") {
    return (v) => v !== null && typeof v === "object" && (v as Schema).object === objectConst;
  }
  const t = branch.type;
  const types = Array.isArray(t) ? (t as string[]) : typeof t === "string" ? [t] : undefined;
  if (types === undefined) return () => true;
  const allowed = new Set(types.map((x) => (x === "integer" ? "number" : x)));
  return (v) => allowed.has(typeOf(v));
}

/**
 * One function applying `converters` (schema name → step) to a value of `node` and everything in
 * it, or undefined when no converter applies anywhere below `node` (the common, free case).
 */
export function compilePlan(
  graph: SchemaGraph,
  node: unknown,
  converters: ReadonlyMap<string, ValueStep>,
  memo: WeakMap<object, ValueStep | null> = new WeakMap(),
): ValueStep | undefined {
  if (node === null || typeof node !== "object" || converters.size === 0) return undefined;
  const cached = memo.get(node);
  if (cached !== undefined) return cached ?? undefined;
  memo.set(node, null); // a schema that contains itself stops here
  const s = node as Schema;
  const sub = (n: unknown) => compilePlan(graph, n, converters, memo);

  const own = graph
    .namesOf(s)
    .map((name) => converters.get(name))
    .filter((f): f is ValueStep => f !== undefined);

  const props: Array<[string, ValueStep]> = [];
  for (const [key, child] of Object.entries((s.properties ?? {}) as Schema)) {
    const plan = sub(child);
    if (plan !== undefined) props.push([key, plan]);
  }
  const extra =
    typeof s.additionalProperties === "object" ? sub(s.additionalProperties) : undefined;
  const items = sub(s.items);
  const parts = ((s.allOf ?? []) as unknown[]).map(sub).filter((p) => p !== undefined);
  const branches: Array<[(v: unknown) => boolean, ValueStep]> = [];
  for (const b of [...((s.oneOf ?? []) as Schema[]), ...((s.anyOf ?? []) as Schema[])]) {
    const plan = sub(b);
    if (plan !== undefined) branches.push([branchTest(b), plan]);
  }

  if (
    own.length + props.length + parts.length + branches.length === 0 &&
    extra === undefined &&
    items === undefined
  ) {
    return undefined;
  }
  const known = new Set(props.map(([k]) => k));
  const plan: ValueStep = (value) => {
    let out = value;
    if (out !== null && typeof out === "object") {
      if (Array.isArray(out)) {
        if (items !== undefined) {
          const arr = out as unknown[];
          let copy: unknown[] | undefined;
          for (let i = 0; i < arr.length; i++) {
            let next: unknown;
            try {
              next = items(arr[i]);
            } catch (e) {
              throw failedWithin(e, String(i));
            }
            if (next !== arr[i]) {
              copy ??= arr.slice();
              copy[i] = next;
            }
          }
          if (copy !== undefined) out = copy;
        }
      } else {
        const obj = out as Schema;
        let copy: Schema | undefined;
        for (const [key, step] of props) {
          if (!Object.hasOwn(obj, key)) continue;
          let next: unknown;
          try {
            next = step(obj[key]);
          } catch (e) {
            throw failedWithin(e, key);
          }
          if (next !== obj[key]) {
            copy ??= { ...obj };
            copy[key] = next;
          }
        }
        if (extra !== undefined) {
          for (const key of Object.keys(obj)) {
            if (known.has(key)) continue;
            let next: unknown;
            try {
              next = extra(obj[key]);
            } catch (e) {
              throw failedWithin(e, key);
            }
            if (next !== obj[key]) {
              copy ??= { ...obj };
              copy[key] = next;
            }
          }
        }
        if (copy !== undefined) out = copy;
      }
    }
    for (const part of parts) out = part(out);
    for (const [test, step] of branches) if (test(out)) out = step(out);
    for (const step of own) out = step(out);
    return out;
  };
  memo.set(node, plan);
  return plan;
}
