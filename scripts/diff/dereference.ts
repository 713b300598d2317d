/**
 * Turns a bundled document's internal `$ref`s (`#/components/...`, all that Redocly's bundle
 * leaves) into one object graph, so the comparison walks operations straight into their schemas
 * and its pointers follow the operation, not the refs. Shared targets stay shared objects, so a
 * cycle becomes a cycle in the graph, never infinite copies; each target remembers the component
 * it came from, for the findings' `component`.
 */
import { DocumentReadError } from "./read-error.ts";

type Json = Record<string, unknown>;

/** Keywords beside a `$ref` that change nothing a client can observe. */
const DOC_KEYS = new Set(["description", "summary", "title", "example", "examples", "$comment"]);

/** `#/paths/~1x/get` for the keys walked so far. */
function pointerOf(at: readonly string[]): string {
  return `#${at.map((k) => `/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("")}`;
}

/** The keys of a JSON pointer (`/a~1b/c`, with or without its `#`), percent-decoded. */
export function decodePointer(fragment: string): string[] {
  const pointer = fragment.replace(/^#/, "");
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((p) => percentDecoded(p).replace(/~1/g, "/").replace(/~0/g, "~"));
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray "%" is a literal character of the key, not an encoding.
    return text;
  }
}

export function dereference(
  bundled: Json,
  file: string,
): { root: Json; components: WeakMap<object, string> } {
  const components = new WeakMap<object, string>();
  const byPointer = new Map<string, unknown>();
  // Large documents repeat a few thousand refs tens of thousands of times: resolve each text once.
  const byRefText = new Map<string, unknown>();

  function fail(ref: string, at: readonly string[], why: string): never {
    throw new DocumentReadError(
      file,
      undefined,
      `$ref "${ref}" ${why} (the $ref at ${pointerOf(at)})`,
    );
  }

  function resolveRef(ref: string, at: readonly string[]): unknown {
    const known = byRefText.get(ref);
    if (known !== undefined || byRefText.has(ref)) return known;
    if (!ref.startsWith("#")) fail(ref, at, "was left unbundled (a $ref Redocly does not follow)");
    const pointer = decodePointer(ref.slice(1));
    const key = pointer.join("/");
    let value: unknown;
    if (byPointer.has(key)) value = byPointer.get(key);
    else {
      let node: unknown = bundled;
      for (const part of pointer) {
        if (node !== null && typeof node === "object" && Object.hasOwn(node, part)) {
          node = (node as Json)[part];
        } else fail(ref, at, `does not resolve: no "${part}"`);
      }
      value = resolveTarget(node, pointer, key);
    }
    byRefText.set(ref, value);
    return value;
  }

  function resolveTarget(node: unknown, pointer: string[], key: string): unknown {
    if (node === null || typeof node !== "object" || Array.isArray(node)) {
      const value = deref(node, [...pointer]);
      byPointer.set(key, value);
      return value;
    }
    // Register the (still empty) result first, so a cycle back to this target finds it.
    const placeholder: Json = {};
    byPointer.set(key, placeholder);
    const name = pointer[pointer.length - 1];
    if (name !== undefined) components.set(placeholder, name);
    const value = deref(node, [...pointer]);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      Object.assign(placeholder, value);
    }
    return placeholder;
  }

  function deref(node: unknown, at: string[]): unknown {
    // `at` is one stack, pushed and popped: a copy per node would cost the load.
    if (Array.isArray(node)) {
      return node.map((item, i) => {
        at.push(String(i));
        const value = deref(item, at);
        at.pop();
        return value;
      });
    }
    if (node === null || typeof node !== "object") return node;
    const obj = node as Json;
    const ref = obj.$ref;
    if (typeof ref === "string") {
      const target = resolveRef(ref, at);
      const siblings = Object.keys(obj).filter((k) => k !== "$ref" && !DOC_KEYS.has(k));
      if (siblings.length === 0) return target;
      // JSON Schema 2020-12: a $ref with constraints beside it means both apply.
      const rest: Json = {};
      for (const k of siblings) {
        at.push(k);
        rest[k] = deref(obj[k], at);
        at.pop();
      }
      return { allOf: [target, rest] };
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(obj)) {
      // Extension values and examples are data, not OpenAPI: leave any "$ref" in them alone.
      if (k.startsWith("x-") || k === "example" || k === "examples") {
        out[k] = v;
        continue;
      }
      at.push(k);
      out[k] = deref(v, at);
      at.pop();
    }
    return out;
  }

  return { root: deref(bundled, []) as Json, components };
}
