/**
 * The npm version of a version's client package: `<year>.<month*100+day>.<n>`, e.g. `2026.507.0`
 * for 2026-05-07 as released and `2026.507.3` after three additive changes. Valid semver that
 * sorts by date first, then by how much was added; an integrator can tell two builds apart.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { diffDocuments } from "../../diff/diff.ts";
import { fsReader, loadDocument, versionEntry } from "../../diff/load.ts";
import { loadSnapshot, snapshotPath } from "../../diff/released.ts";
import type { Finding } from "../../diff/types.ts";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-05-07` and 3 additive changes → `2026.507.3` (no leading zeros, so it is valid semver). */
export function clientPackageVersion(version: string, additive: number): string {
  const match = DATE.exec(version);
  if (match === null) throw new Error(`client: version ${JSON.stringify(version)} is not a date`);
  if (!Number.isInteger(additive) || additive < 0) {
    throw new Error(`client: additive change count ${additive} is not a whole number`);
  }
  const [, year, month, day] = match;
  return `${Number(year)}.${Number(month) * 100 + Number(day)}.${additive}`;
}

/**
 * The additive changes among the findings: every distinct rule and message the diff reports that
 * is neither breaking nor documentation. One change repeats its finding wherever it lands (a new
 * response header on 75 responses is 75 findings, one message), so findings are counted once per
 * message. A released version can only gain these (wth check refuses breaking ones), and none can
 * be taken back without a breaking finding, so the count only grows.
 */
export function countAdditive(findings: readonly Finding[]): number {
  const changes = new Set<string>();
  for (const f of findings) {
    if (!f.breaking && f.category !== "documentation") changes.add(`${f.rule}\0${f.message}`);
  }
  return changes.size;
}

/**
 * Additive changes from the release snapshot (`openapi/snapshots/<date>.json`) to the document
 * `openapi/<date>/openapi.yaml`, both loaded as `wth check` loads them; 0 when the version has no
 * snapshot yet (unreleased: nothing was added since a release).
 */
export async function additiveSinceRelease(root: string, version: string): Promise<number> {
  const file = path.join(root, snapshotPath(version));
  if (!existsSync(file)) return 0;
  const [released, current] = await Promise.all([
    loadSnapshot(version, readFileSync(file, "utf8")),
    loadDocument({
      label: versionEntry(version),
      reader: fsReader(),
      entry: path.join(root, versionEntry(version)),
    }),
  ]);
  return countAdditive(diffDocuments(released, current));
}
