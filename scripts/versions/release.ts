/**
 * `wth release <date>`: makes an unreleased version the one new integrations pin to. It refuses
 * while any breaking change since the previous version is answered by no version change (the
 * guarantee), while an addition has not reached the older documents, or while the version-change
 * chain does not check; then it marks the version released and freezes its release snapshot,
 * after which `wth check` guards it like every released version.
 */

import type { VersionBundle } from "../../server/versions/change.ts";
import { loadVersionRegistry } from "../../server/versions/registry.ts";
import { writeReleaseSnapshot } from "../diff/released.ts";
import { proveBundled } from "./check-versions.ts";
import { coverageOf, coverageOk, renderCoverage } from "./coverage.ts";
import {
  isCalendarDate,
  readRegistry,
  VersionCommandError,
  writeRegistry,
} from "./registry-file.ts";

export interface ReleaseResult {
  version: string;
  releasedAt: string;
  snapshot: string;
}

export async function releaseVersion(
  root: string,
  bundle: VersionBundle,
  date: string,
  today: string,
): Promise<ReleaseResult> {
  if (!isCalendarDate(date)) {
    throw new VersionCommandError(`"${date}" is not a date: a version is written YYYY-MM-DD`);
  }
  const records = readRegistry(root);
  const index = records.findIndex((r) => r.version === date);
  const record = records[index];
  if (record === undefined) {
    throw new VersionCommandError(`${date} is not a version: mint it first ("wth mint ${date}")`);
  }
  if (record.status === "released") {
    throw new VersionCommandError(`${date} is already released (on ${record.released_at})`);
  }
  const unreleasedBefore = records.slice(0, index).find((r) => r.status !== "released");
  if (unreleasedBefore !== undefined) {
    throw new VersionCommandError(
      `release ${unreleasedBefore.version} first: versions release in order`,
    );
  }
  const previous = records[index - 1];
  if (previous !== undefined) {
    const coverage = await coverageOf(root, bundle, previous.version, date);
    if (!coverageOk(coverage)) {
      throw new VersionCommandError(`${date} cannot be released:\n${renderCoverage(coverage)}`);
    }
  }
  try {
    loadVersionRegistry({ root, bundle });
  } catch (error) {
    // What the broken chain leaves wrong (pointer, example) helps as much as the chain's message.
    let proven = "";
    try {
      const proof = proveBundled(root, bundle);
      if (!proof.ok) proven = `\n${proof.line}\n${proof.report}`;
    } catch {
      // No documents to prove against: the chain's message already says what to run.
    }
    throw new VersionCommandError(
      `${date} cannot be released: ${(error as Error).message}${proven}`,
    );
  }
  // The proof, not only the bookkeeping: converted examples and instances must validate.
  const proof = proveBundled(root, bundle);
  if (!proof.ok) {
    throw new VersionCommandError(
      `${date} cannot be released: ${proof.line}\n${proof.report}\n(run "wth generate" if a document changed)`,
    );
  }
  const next = records.map((r) =>
    r.version === date ? { ...r, status: "released" as const, released_at: today } : r,
  );
  writeRegistry(root, next);
  const snapshot = await writeReleaseSnapshot(date, root);
  return { version: date, releasedAt: today, snapshot };
}
