/**
 * Judges the keywords the canonical schema does not model (JSON Schema 2020-12's `contains`,
 * `dependentRequired`, `dependentSchemas`, `if`/`then`/`else`, `prefixItems`, `propertyNames`,
 * `patternProperties`, `unevaluated*`, `not`, `content*`, and any keyword nobody knows) by the
 * subschema principle, one keyword at a time. A change it cannot decide is reported as
 * `cannot-prove-compatible`, never passed over.
 */
import { anything, type Keyword, type NSchema } from "./normalize.ts";
import { keywordText } from "./shape.ts";
import { type Change, changeOf, includes, keywordIncluded, type Verdict } from "./subschema.ts";

function both(x: Verdict, y: Verdict): Verdict {
  if (x === "no" || y === "no") return "no";
  return x === "unknown" || y === "unknown" ? "unknown" : "yes";
}

import type { Direction } from "./types.ts";

export type EmitKeyword = (
  rule: string,
  before: unknown,
  after: unknown,
  message: string,
  sub: string,
) => void;

function plain(k: Keyword | undefined): unknown {
  if (k === undefined) return null;
  const text = keywordText(k, 2);
  return k.schema !== undefined || k.map !== undefined || k.list !== undefined ? text : k.raw;
}

/** How the revision's instance set moved for one keyword, the rest held equal. */
export function keywordChange(key: string, b: NSchema, a: NSchema): Change {
  const bk = b.extra.get(key);
  const ak = a.extra.get(key);
  if (key === "prefixItems") {
    // Position i holds the prefix schema where there is one, else the side's `items`.
    const bl = bk?.list ?? [];
    const al = ak?.list ?? [];
    const at = (list: NSchema[], s: NSchema, i: number) => list[i] ?? s.items ?? anything();
    let baseInRevision: Verdict = "yes";
    let revisionInBase: Verdict = "yes";
    for (let i = 0; i < Math.max(bl.length, al.length); i++) {
      baseInRevision = both(baseInRevision, includes(at(al, a, i), at(bl, b, i)));
      revisionInBase = both(revisionInBase, includes(at(bl, b, i), at(al, a, i)));
    }
    return changeOf(baseInRevision, revisionInBase);
  }
  const baseInRevision = ak === undefined ? "yes" : keywordIncluded(key, ak, bk, b, new Set());
  const revisionInBase = bk === undefined ? "yes" : keywordIncluded(key, bk, ak, a, new Set());
  return changeOf(baseInRevision, revisionInBase);
}

export function compareKeywords(
  b: NSchema,
  a: NSchema,
  direction: Direction,
  emit: EmitKeyword,
  name: string,
): void {
  if (b.extra.size === 0 && a.extra.size === 0) return;
  const keys = [...new Set([...b.extra.keys(), ...a.extra.keys()])].sort();
  for (const key of keys) {
    const bk = b.extra.get(key);
    const ak = a.extra.get(key);
    if (bk !== undefined && ak !== undefined && keywordText(bk, 6) === keywordText(ak, 6)) continue;
    const shown = key.replace(/#\d+$/, "");
    const sub = `/${shown}`;
    const before = plain(bk);
    const after = plain(ak);
    const what = `${bk === undefined ? "gained" : ak === undefined ? "lost" : "changed"} \`${shown}\``;
    if (shown === "contentEncoding" || shown === "contentMediaType") {
      emit(
        direction === "input" ? "request-format-changed" : "response-format-changed",
        before,
        after,
        `${name} ${what}: its content is encoded differently (${String(before ?? "none")} → ${String(after ?? "none")}).`,
        sub,
      );
      continue;
    }
    const change = keywordChange(key, b, a);
    if (change === "same") continue;
    if (change === "unknown") {
      emit(
        "cannot-prove-compatible",
        before,
        after,
        `${name} ${what}; the diff cannot prove the change compatible, so it is treated as breaking.`,
        sub,
      );
      continue;
    }
    const breaks =
      change === "incomparable" ||
      (direction === "input" ? change === "narrower" : change === "wider");
    if (direction === "input")
      emit(
        breaks ? "request-constraint-added" : "request-validation-relaxed",
        before,
        after,
        breaks
          ? `${name} ${what}: requests it accepted may now be rejected.`
          : `${name} ${what}: it accepts more requests.`,
        sub,
      );
    else
      emit(
        breaks ? "response-constraint-relaxed" : "response-constraint-changed",
        before,
        after,
        breaks
          ? `${name} ${what}: responses may now hold values it did not allow before.`
          : `${name} ${what}: responses are constrained further.`,
        sub,
      );
  }
}
