import path from "node:path";
import { diffDocuments, loadObject } from "../../diff/diff.ts";
import { fsReader, loadDocument } from "../../diff/load.ts";
import type { Finding } from "../../diff/types.ts";
import { stringifyJson } from "../canonical-json.ts";
import type { Emitter, OpenApiDocument } from "../context.ts";
import { loadVersions } from "../versions.ts";

/**
 * `roll-forward.json`: for each earlier version P, the diff findings from P to this version,
 * each tied to the operationId or event type it touches. The console's "What changes if I roll
 * forward" reads it and keeps the findings for what the integration used; the server never
 * imports scripts/, so the diff runs here, at generate time.
 */
export interface RollForwardFinding {
  rule: string;
  breaking: boolean;
  message: string;
  /** `METHOD /path` as the diff reports it. */
  operation: string | null;
  operation_id: string | null;
  /** The event type, for a webhook finding. */
  event_type: string | null;
}

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

function operationIds(doc: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const paths = (doc.paths ?? {}) as Record<string, Record<string, { operationId?: string }>>;
  for (const [p, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (METHODS.has(method) && typeof op?.operationId === "string") {
        out.set(`${method.toUpperCase()} ${p}`, op.operationId);
      }
    }
  }
  return out;
}

/** The findings from `base` to `revision`, documentation-only ones left out. */
export function rollForwardFindings(
  base: Record<string, unknown>,
  revision: Record<string, unknown>,
  findings: Finding[],
): RollForwardFinding[] {
  const ids = new Map([...operationIds(base), ...operationIds(revision)]);
  return findings
    .filter((f) => f.category !== "documentation")
    .map((f) => ({
      rule: f.rule,
      breaking: f.breaking,
      message: f.message,
      operation: f.location.operation ?? null,
      operation_id:
        f.location.operation === undefined ? null : (ids.get(f.location.operation) ?? null),
      event_type: f.location.webhook ?? null,
    }))
    .sort(
      (a, b) =>
        Number(b.breaking) - Number(a.breaking) ||
        (a.operation ?? a.event_type ?? "").localeCompare(b.operation ?? b.event_type ?? "") ||
        a.rule.localeCompare(b.rule) ||
        a.message.localeCompare(b.message),
    );
}

export const emitRollForward: Emitter = async (ctx) => {
  const earlier = (await loadVersions(ctx.root))
    .map((v) => v.version)
    .filter((v) => v < ctx.version)
    .sort();
  const revision = await loadObject(ctx.version, ctx.document);
  const from: Record<string, RollForwardFinding[]> = {};
  for (const version of earlier) {
    const base = await loadDocument({
      label: version,
      reader: fsReader(),
      entry: path.join(ctx.root, "openapi", version, "openapi.yaml"),
    });
    from[version] = rollForwardFindings(
      base.root,
      ctx.document as OpenApiDocument,
      diffDocuments(base, revision),
    );
  }
  return [
    {
      path: `${ctx.outDir}/roll-forward.json`,
      contents: stringifyJson({ "x-generated": ctx.banner, version: ctx.version, from }),
    },
  ];
};
