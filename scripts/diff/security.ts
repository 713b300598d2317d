/**
 * How an operation's security requirements moved: each alternative is a set of schemes (compared
 * by what they are, so renaming a scheme component changes nothing) with their scopes.
 */
import { perNode } from "./memo.ts";
import { type OperationEntry, obj } from "./operations.ts";
import type { OperationNode, Side } from "./visitor.ts";

type Alternative = Map<string, Set<string>>;

function alternatives(side: Side, e: OperationEntry): Alternative[] {
  const schemes = obj(obj(side.doc.components).securitySchemes);
  const reqs = Array.isArray(e.op.security)
    ? e.op.security
    : Array.isArray(side.doc.security)
      ? side.doc.security
      : [];
  if (reqs.length === 0) return [new Map<string, Set<string>>()];
  return reqs.map((r) => {
    const m = new Map<string, Set<string>>();
    for (const [name, scopes] of Object.entries(obj(r))) {
      const def = obj(schemes[name]);
      const key = JSON.stringify(
        Object.entries(def)
          .filter(([k]) => k !== "description")
          .sort(),
      );
      m.set(key, new Set(Array.isArray(scopes) ? scopes.map(String) : []));
    }
    return m;
  });
}

function within(x: Alternative, y: Alternative): boolean {
  return [...x].every(([k, scopes]) => y.has(k) && [...scopes].every((s) => y.get(k)?.has(s)));
}

export interface SecurityChange {
  /** Some way a client could authenticate before is no longer enough. */
  tightened: boolean;
  /** Some way to authenticate now needs less than any way before. */
  loosened: boolean;
  before: unknown;
  after: unknown;
}

export const securityChange = perNode((node: OperationNode): SecurityChange => {
  const { base: be, revision: ae, diff } = node;
  const bAlt = alternatives(diff.base, be);
  const aAlt = alternatives(diff.revision, ae);
  const describe = (e: OperationEntry, side: Side) => e.op.security ?? side.doc.security ?? [];
  return {
    tightened: bAlt.some((old) => !aAlt.some((now) => within(now, old))),
    loosened: aAlt.some((now) => !bAlt.some((old) => within(old, now))),
    before: describe(be, diff.base),
    after: describe(ae, diff.revision),
  };
});
