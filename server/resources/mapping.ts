/**
 * Small typed helpers for mapping between request bodies, rows and the document's objects.
 */
import type { components } from "../../generated/newest.ts";

type Metadata = components["schemas"]["Metadata"];

/** A stored metadata column (JSON text written from a validated request) as the document's type. */
export function parseMetadata(text: string): Metadata {
  return JSON.parse(text) as Metadata;
}

/**
 * Copies each of `keys` that is defined in `from` into `to` under the same name. The keys are
 * checked against both types by the caller's `satisfies`, so a renamed field fails `tsc`.
 */
export function assignDefined<S, K extends keyof S>(
  to: { [P in K]?: S[P] },
  from: S,
  keys: readonly K[],
): void {
  for (const key of keys) {
    const value = from[key];
    if (value !== undefined) to[key] = value;
  }
}
