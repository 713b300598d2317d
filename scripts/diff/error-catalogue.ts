/**
 * The error-code catalogue of each operation and error status: the string enum at `code`,
 * `error.code`, `error_code` or `errors[].code` of the error body, or at the property named by
 * `x-error-code-property` (on the media type, the response or the document root); and how two
 * catalogues differ, code by code, which the three error-code rules read.
 */
import { perNode } from "./memo.ts";
import type { NSchema } from "./normalize.ts";
import { obj, operations } from "./operations.ts";
import { escapePointer } from "./pointer.ts";
import type { PointerPair } from "./types.ts";
import type { ErrorCodesNode, Side } from "./visitor.ts";

/** Where an error body carries its code, when the document does not say (`[]`: each item). */
const ERROR_CODE_PATHS = ["error.code", "code", "error_code", "errors[].code"];

export interface Catalogue {
  operation: string;
  pointer: string;
  component: string | undefined;
  /** Code → its documented meaning (`x-enum-meanings`, `x-enum-descriptions`), if any. */
  codes: Map<string, string | undefined>;
}

/** Follows a dotted property path (`errors[].code`) through a normalised schema. */
function codeSchema(s: NSchema, path: string): NSchema | undefined {
  let at: NSchema | undefined = s;
  for (const part of path.split(".")) {
    if (at === undefined) return undefined;
    const array = part.endsWith("[]");
    const name = array ? part.slice(0, -2) : part;
    let next: NSchema | undefined = at.properties.get(name);
    if (next === undefined && at.variants !== undefined)
      next = at.variants.map((v) => v.properties.get(name)).find((x) => x !== undefined);
    at = array ? next?.items : next;
  }
  return at;
}

function meaningsOf(code: NSchema): Record<string, string> {
  const out: Record<string, string> = {};
  if (code.docs !== "") {
    const docs = JSON.parse(code.docs) as Record<string, unknown>;
    const descriptions = docs["x-enum-descriptions"];
    if (descriptions !== null && typeof descriptions === "object" && !Array.isArray(descriptions))
      for (const [k, v] of Object.entries(descriptions)) out[k] = String(v);
  }
  return { ...out, ...code.enumMeanings };
}

/** Each catalogue of a side; every schema holding one is added to `registry`. */
export function errorCatalogue(side: Side, registry: Set<number>): Map<string, Catalogue> {
  const out = new Map<string, Catalogue>();
  const named = side.doc["x-error-code-property"];
  for (const e of operations(side.doc).values()) {
    for (const [status, r] of Object.entries(obj(e.op.responses))) {
      if (!/^[45]/.test(status) && status !== "default") continue;
      const response = obj(r);
      for (const [mt, m] of Object.entries(obj(response.content))) {
        const media = obj(m);
        const declared =
          media["x-error-code-property"] ?? response["x-error-code-property"] ?? named;
        const paths = typeof declared === "string" ? [declared] : ERROR_CODE_PATHS;
        const body = side.norm.schema(media.schema);
        for (const path of paths) {
          const code = codeSchema(body, path);
          if (code?.enum === undefined) continue;
          registry.add(code.uid);
          const meanings = meaningsOf(code);
          const key = `${e.key} ${status.toUpperCase()}`;
          const entry = out.get(key) ?? {
            operation: e.label,
            pointer: `${e.pointer}/responses/${escapePointer(status)}/content/${escapePointer(mt)}/schema`,
            component: code.component,
            codes: new Map<string, string | undefined>(),
          };
          for (const k of code.enum.keys()) {
            if (k === "null") continue;
            const value = String(JSON.parse(k));
            entry.codes.set(value, meanings[value]);
          }
          out.set(key, entry);
          break;
        }
      }
    }
  }
  return out;
}

export type CodeChangeKind = "removed" | "renamed" | "added";

/** One code removed, renamed or added, with every operation and status where it shows. */
export interface CodeChange {
  kind: CodeChangeKind;
  code: string;
  to: string | null;
  meaning: string | undefined;
  component: string | undefined;
  pointer: string;
  /** `METHOD /path` → statuses where it shows. */
  places: Map<string, string[]>;
  /**
   * A shared catalogue (one component) edited for every operation that uses it: one
   * document-wide finding rather than one per operation.
   */
  everywhere: boolean;
}

/** The code changes of every (operation, status) both sides document. */
export const codeChanges = perNode((node: ErrorCodesNode): CodeChange[] => {
  const changes = new Map<string, CodeChange>();
  /** Every (operation, status) both sides document, per component holding the codes. */
  const common = new Map<string, number>();
  const note = (
    kind: CodeChangeKind,
    code: string,
    to: string | null,
    meaning: string | undefined,
    entry: Catalogue,
    status: string,
    component: string | undefined,
  ) => {
    const shown = to ?? code;
    const pointer =
      component === undefined
        ? `${entry.pointer}/${escapePointer(shown)}`
        : `/components/schemas/${escapePointer(component)}/${escapePointer(shown)}`;
    const key = `${kind}|${code}|${to}|${pointer}`;
    const c = changes.get(key) ?? {
      kind,
      code,
      to,
      meaning,
      component,
      pointer,
      places: new Map(),
      everywhere: false,
    };
    c.places.set(entry.operation, [...(c.places.get(entry.operation) ?? []), status]);
    changes.set(key, c);
  };
  for (const [key, b] of node.base) {
    const a = node.revision.get(key);
    // A whole error response gone is error-response-removed; operations removed, operation-removed.
    if (a === undefined) continue;
    const status = key.slice(key.lastIndexOf(" ") + 1);
    const component = a.component ?? b.component;
    if (component !== undefined) common.set(component, (common.get(component) ?? 0) + 1);
    const removed = [...b.codes.keys()].filter((c) => !a.codes.has(c));
    const added = [...a.codes.keys()].filter((c) => !b.codes.has(c));
    const renamed = new Set<string>();
    for (const code of removed) {
      const meaning = b.codes.get(code);
      // A rename is a removal plus an addition with the very same documented meaning.
      const to =
        meaning === undefined
          ? undefined
          : added.find((x) => !renamed.has(x) && a.codes.get(x) === meaning);
      if (to !== undefined) renamed.add(to);
      note(
        to === undefined ? "removed" : "renamed",
        code,
        to ?? null,
        meaning,
        a,
        status,
        component,
      );
    }
    for (const code of added)
      if (!renamed.has(code)) note("added", code, null, undefined, a, status, component);
  }
  const out = [...changes.values()];
  for (const c of out) {
    const count = [...c.places.values()].reduce((n, l) => n + l.length, 0);
    c.everywhere = c.component !== undefined && count === common.get(c.component);
  }
  return out;
});

/** Reports one code change: once for the document, or once per operation it shows in. */
export function reportCodeChange(
  c: CodeChange,
  report: (r: {
    scope: { operation?: string };
    pointer: string;
    pointers: Partial<PointerPair>;
    component: string | undefined;
    before: unknown;
    after: unknown;
    message: string;
  }) => void,
  message: (where: string) => string,
): void {
  const before = c.kind === "added" ? null : c.code;
  const after = c.kind === "added" ? c.code : c.to;
  // The pointer names the code (the new one, for a rename) below the schema that lists it.
  const named = (code: string) =>
    `${c.pointer.slice(0, c.pointer.lastIndexOf("/"))}/${escapePointer(code)}`;
  const pointers: Partial<PointerPair> =
    c.kind === "added"
      ? { base: null }
      : c.kind === "removed"
        ? { revision: null }
        : { base: named(c.code) };
  const place = { pointer: c.pointer, pointers, component: c.component };
  if (c.everywhere) {
    report({ scope: {}, ...place, before, after, message: message("") });
    return;
  }
  for (const [operation, statuses] of c.places)
    report({
      scope: { operation },
      ...place,
      before,
      after,
      message: message(
        ` from the ${statuses.join(", ")} response${statuses.length > 1 ? "s" : ""}`,
      ),
    });
}
