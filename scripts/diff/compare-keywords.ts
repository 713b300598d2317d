/**
 * How the keywords the canonical schema does not model (JSON Schema 2020-12's `contains`,
 * `dependentRequired`, `dependentSchemas`, `if`/`then`/`else`, `prefixItems`, `propertyNames`,
 * `patternProperties`, `unevaluated*`, `not`, `content*`, and any keyword nobody knows) moved,
 * by the subschema principle, one keyword at a time: wider, narrower, incomparable, or unknown
 * (a change it cannot decide, which a rule reports rather than passing over).
 */
import { perNode } from "./memo.ts";
import { anything, type NSchema } from "./normalize.ts";
import { type Change, changeOf, includes, keywordIncluded, type Verdict } from "./subschema.ts";
import type { PointerPair } from "./types.ts";
import type { KeywordNode } from "./visitor.ts";

function both(x: Verdict, y: Verdict): Verdict {
  if (x === "no" || y === "no") return "no";
  return x === "unknown" || y === "unknown" ? "unknown" : "yes";
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

/** A keyword node's move, computed once for the rules that read it. */
export const keywordMove = perNode(
  (node: KeywordNode): Change => keywordChange(node.key, node.base, node.revision),
);

/** `contentEncoding` and `contentMediaType` say how the content is encoded: a format, not a bound. */
export function isEncoding(node: KeywordNode): boolean {
  return node.shown === "contentEncoding" || node.shown === "contentMediaType";
}

/** Whether the keyword's move breaks its direction: a request rejecting, a response producing more. */
export function keywordBreaks(node: KeywordNode): boolean {
  const change = keywordMove(node);
  return (
    change === "incomparable" ||
    (node.direction === "input" ? change === "narrower" : change === "wider")
  );
}

/** `gained \`contains\``, `lost …`, `changed …`: how messages name the keyword's move. */
export function keywordWhat(node: KeywordNode): string {
  const verb = !node.inBase ? "gained" : !node.inRevision ? "lost" : "changed";
  return `${verb} \`${node.shown}\``;
}

/** A keyword added or removed exists on one side only; its pointer is null on the other. */
export function keywordPointers(node: KeywordNode): Partial<PointerPair> {
  const sides: Partial<PointerPair> = {};
  if (!node.inBase) sides.base = null;
  if (!node.inRevision) sides.revision = null;
  return sides;
}
