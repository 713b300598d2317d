/**
 * Breaking findings on a released version that the maintainers have examined and accepted, each
 * with its reason: `openapi/acknowledged-breaking-changes.json`.
 *
 * A released version's document may only change in non-breaking ways. The one exception is a
 * fix that refuses what never worked (a price above 2^53 − 1 was silently rounded on SQLite and
 * a 500 on PostgreSQL): formally a tightened request, in practice a bug fix. Such a finding is
 * matched by meaning (version, rule and JSON pointer, never a hash), printed by `wth check` with
 * its reason, and an acknowledgement that matches no finding fails the check so none lingers.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DocumentReadError } from "./load.ts";
import type { Finding } from "./types.ts";

export const ACKNOWLEDGED_FILE = "openapi/acknowledged-breaking-changes.json";

export interface Acknowledgement {
  version: string;
  rule: string;
  /** The finding's JSON pointer, as `wth diff --format json` prints it (`location.pointer`). */
  pointer: string;
  /** Why this is not a break for any working integration: shown by `wth check`. */
  reason: string;
}

const FIELDS = ["version", "rule", "pointer", "reason"] as const;

/** Reads the file; a missing file is an empty list, a malformed one names its entry. */
export function readAcknowledgements(root: string): Acknowledgement[] {
  const file = path.join(root, ACKNOWLEDGED_FILE);
  if (!existsSync(file)) return [];
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new DocumentReadError(
      ACKNOWLEDGED_FILE,
      undefined,
      `invalid JSON: ${(error as Error).message}`,
    );
  }
  const list = (data as { acknowledged?: unknown }).acknowledged;
  if (!Array.isArray(list)) {
    throw new DocumentReadError(ACKNOWLEDGED_FILE, undefined, `"acknowledged" must be an array`);
  }
  return list.map((entry: unknown, i) => {
    const record = (entry ?? {}) as Record<string, unknown>;
    for (const field of FIELDS) {
      const value = record[field];
      if (typeof value !== "string" || value.trim() === "") {
        throw new DocumentReadError(
          ACKNOWLEDGED_FILE,
          undefined,
          `acknowledged[${i}].${field} must be a non-empty string`,
        );
      }
    }
    return record as unknown as Acknowledgement;
  });
}

export interface Acknowledged {
  /** Breaking findings no acknowledgement answers. */
  open: Finding[];
  /** Breaking findings answered, each with its acknowledgement. */
  accepted: { finding: Finding; acknowledgement: Acknowledgement }[];
  /** Acknowledgements for this version that match no breaking finding: stale, and an error. */
  unmatched: Acknowledgement[];
}

/** Splits one version's breaking findings by whether an acknowledgement answers them. */
export function applyAcknowledgements(
  version: string,
  breaking: readonly Finding[],
  acknowledgements: readonly Acknowledgement[],
): Acknowledged {
  const mine = acknowledgements.filter((a) => a.version === version);
  const used = new Set<Acknowledgement>();
  const result: Acknowledged = { open: [], accepted: [], unmatched: [] };
  for (const finding of breaking) {
    const acknowledgement = mine.find(
      (a) => a.rule === finding.rule && a.pointer === finding.location.pointer,
    );
    if (acknowledgement === undefined) result.open.push(finding);
    else {
      used.add(acknowledgement);
      result.accepted.push({ finding, acknowledgement });
    }
  }
  result.unmatched = mine.filter((a) => !used.has(a));
  return result;
}
