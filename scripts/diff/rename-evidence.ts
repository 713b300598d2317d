/**
 * Pairs what one side removed with what the other added, when there is evidence of a rename:
 * the same `operationId`, an `x-renamed-from` extension naming the old item, or (between declared
 * dated versions only, `inferRenames`) the same shape in the same place. Every `*-renamed` rule
 * and its `*-removed` / `*-added` siblings read the same pairing, so they never disagree.
 */
import { perNode } from "./memo.ts";
import type { NSchema } from "./normalize.ts";
import {
  headerSchema,
  METHODS,
  type OperationEntry,
  obj,
  operationShape,
  type Param,
  webhookEntries,
} from "./operations.ts";
import { paginationOf } from "./pagination.ts";
import { shapeOf } from "./shape.ts";
import type {
  HeadersNode,
  Json,
  NamedHeader,
  OperationsNode,
  ParametersNode,
  Side,
  WebhooksNode,
} from "./visitor.ts";

export interface Pairing<T> {
  /** Removed items with no new name, in the base's order. */
  removed: T[];
  /** Removed item → its new name, in the base's order. */
  renamed: [T, T][];
  /** Added items that are not a new name, in the revision's order. */
  added: T[];
}

export const pairOperations = perNode((node: OperationsNode): Pairing<OperationEntry> => {
  const { base: before, revision: after } = node;
  const removed = [...before.values()].filter((e) => !after.has(e.key));
  const added = [...after.values()].filter((e) => !before.has(e.key));
  const renamedTo = new Map<string, OperationEntry>();
  // Evidence first: the same operationId, or `x-renamed-from` naming the old operation.
  for (const e of removed) {
    const id = e.op.operationId;
    const match = added.find((c) => {
      if ([...renamedTo.values()].includes(c)) return false;
      const from = c.op["x-renamed-from"];
      if (from !== undefined && (from === e.label || (id !== undefined && from === id)))
        return true;
      return id !== undefined && c.op.operationId === id;
    });
    if (match !== undefined) renamedTo.set(e.key, match);
  }
  const unmatched = removed.filter((e) => !renamedTo.has(e.key));
  if (node.diff.inferRenames && unmatched.length > 0 && added.length > 0) {
    const addedShapes = new Map<string, OperationEntry[]>();
    for (const e of added) {
      if ([...renamedTo.values()].includes(e)) continue;
      const s = operationShape(node.diff.revision, e);
      addedShapes.set(s, [...(addedShapes.get(s) ?? []), e]);
    }
    for (const e of unmatched) {
      const candidates = addedShapes.get(operationShape(node.diff.base, e));
      const match = candidates?.find(
        (c) => c.method === e.method && ![...renamedTo.values()].includes(c),
      );
      if (match !== undefined) renamedTo.set(e.key, match);
    }
  }
  const targets = new Set([...renamedTo.values()].map((e) => e.key));
  const renamed: [OperationEntry, OperationEntry][] = [];
  const gone: OperationEntry[] = [];
  for (const e of removed) {
    const to = renamedTo.get(e.key);
    if (to === undefined) gone.push(e);
    else renamed.push([e, to]);
  }
  return { removed: gone, renamed, added: added.filter((e) => !targets.has(e.key)) };
});

/** `x-renamed-from` on a webhook's path item or on any of its operations. */
function renamedFrom(item: Json): unknown {
  if (item["x-renamed-from"] !== undefined) return item["x-renamed-from"];
  for (const m of METHODS) {
    const from = obj(item[m])["x-renamed-from"];
    if (from !== undefined) return from;
  }
  return undefined;
}

function webhookShape(side: Side, name: string, as: string): string {
  const shapes = webhookEntries(side.doc, name).map((e) => operationShape(side, e));
  return shapes.join("\n").split(JSON.stringify(name)).join(JSON.stringify(as));
}

export const pairWebhooks = perNode((node: WebhooksNode): Pairing<string> => {
  const { base: bw, revision: aw, diff } = node;
  const removed = bw.filter((n) => !aw.includes(n));
  const added = aw.filter((n) => !bw.includes(n));
  const taken = new Set<string>();
  const out: Pairing<string> = { removed: [], renamed: [], added: [] };
  for (const name of removed) {
    const to =
      added.find(
        (x) => !taken.has(x) && renamedFrom(obj(obj(diff.revision.doc.webhooks)[x])) === name,
      ) ??
      (diff.inferRenames
        ? added.find(
            (x) =>
              !taken.has(x) &&
              webhookShape(diff.base, name, x) === webhookShape(diff.revision, x, x),
          )
        : undefined);
    if (to !== undefined) {
      taken.add(to);
      out.renamed.push([name, to]);
    } else out.removed.push(name);
  }
  out.added = added.filter((n) => !taken.has(n));
  return out;
});

export interface ParameterPairing extends Pairing<Param> {
  /** Removed pagination parameters: never taken for a rename, judged by the pagination rules. */
  pagination: Param[];
}

export const pairParameters = perNode((node: ParametersNode): ParameterPairing => {
  const { base: bp, revision: ap, diff } = node;
  const removed = [...bp.values()].filter((p) => !ap.has(p.key));
  const added = [...ap.values()].filter((p) => !bp.has(p.key));
  const taken = new Set<string>();
  const out: ParameterPairing = { removed: [], renamed: [], added: [], pagination: [] };
  for (const p of removed) {
    if (paginationOf(p) !== undefined) {
      out.pagination.push(p);
      continue;
    }
    const shape = shapeOf(diff.base.norm.schema(p.schema), 3);
    const to =
      added.find(
        (x) => !taken.has(x.key) && x.where === p.where && x.raw["x-renamed-from"] === p.name,
      ) ??
      (diff.inferRenames
        ? added.find(
            (x) =>
              !taken.has(x.key) &&
              x.where === p.where &&
              shapeOf(diff.revision.norm.schema(x.schema), 3) === shape,
          )
        : undefined);
    if (to !== undefined) {
      taken.add(to.key);
      out.renamed.push([p, to]);
    } else out.removed.push(p);
  }
  out.added = added.filter((p) => !taken.has(p.key));
  return out;
});

/**
 * Response headers. A webhook's acknowledgement headers are never paired: a header the
 * receiver no longer describes is simply no longer read.
 */
export const pairHeaders = perNode((node: HeadersNode): Pairing<NamedHeader> => {
  const { base: bh, revision: ah, diff } = node;
  const renamed = new Set<string>();
  const out: Pairing<NamedHeader> = { removed: [], renamed: [], added: [] };
  for (const [k, b] of bh) {
    if (ah.has(k)) continue;
    if (node.webhook) {
      out.removed.push(b);
      continue;
    }
    const shape = shapeOf(diff.base.norm.schema(headerSchema(b.h)), 4);
    const fresh = [...ah].filter(([x]) => !bh.has(x) && !renamed.has(x));
    const to =
      fresh.find(([, v]) => String(v.h["x-renamed-from"] ?? "").toLowerCase() === k) ??
      (diff.inferRenames
        ? fresh.find(([, v]) => shapeOf(diff.revision.norm.schema(headerSchema(v.h)), 4) === shape)
        : undefined);
    if (to !== undefined) {
      renamed.add(to[0]);
      out.renamed.push([b, to[1]]);
    } else out.removed.push(b);
  }
  for (const [k, a] of ah) if (!bh.has(k) && !renamed.has(k)) out.added.push(a);
  return out;
});

/**
 * Properties visible on each side, paired by name. A rename needs evidence: `x-renamed-from`
 * on the new field, or (between declared dated versions only) a removed and an added field of
 * the same shape.
 */
export function pairProperties(
  b: NSchema,
  a: NSchema,
  bKeys: string[],
  aKeys: string[],
  inferRenames: boolean,
): { removed: string[]; added: string[]; renames: Map<string, string> } {
  const aSet = new Set(aKeys);
  const bSet = new Set(bKeys);
  const removed = bKeys.filter((k) => !aSet.has(k));
  const added = aKeys.filter((k) => !bSet.has(k));
  const renames = new Map<string, string>();
  const taken = new Set<string>();
  for (const x of added) {
    const from = a.properties.get(x)?.renamedFrom;
    if (from !== undefined && removed.includes(from) && !renames.has(from)) {
      renames.set(from, x);
      taken.add(x);
    }
  }
  for (const r of inferRenames ? removed : []) {
    if (renames.has(r)) continue;
    const rs = b.properties.get(r);
    if (rs === undefined) continue;
    const shape = shapeOf(rs, 3);
    const match = added.find(
      (x) =>
        !taken.has(x) &&
        a.properties.get(x) !== undefined &&
        shapeOf(a.properties.get(x) as NSchema, 3) === shape,
    );
    if (match !== undefined) {
      renames.set(r, match);
      taken.add(match);
    }
  }
  return { removed, added: added.filter((k) => !taken.has(k)), renames };
}
