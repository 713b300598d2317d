/**
 * Reads and writes `openapi/versions.json` for the maintainer commands (mint, release). The
 * file is the one list of dated versions; it is rewritten whole, in one stable format.
 */
import fs from "node:fs";
import path from "node:path";

export interface VersionRecord {
  version: string;
  status: "released" | "unreleased";
  released_at: string | null;
}

export const VERSIONS_FILE = "openapi/versions.json";
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class VersionCommandError extends Error {}

/** Whether `date` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(date: string): boolean {
  if (!DATE.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

export function readRegistry(root: string): VersionRecord[] {
  const file = path.join(root, VERSIONS_FILE);
  const data = JSON.parse(fs.readFileSync(file, "utf8")) as { versions?: unknown };
  if (!Array.isArray(data.versions)) {
    throw new VersionCommandError(`${VERSIONS_FILE}: expected {"versions": [...]}`);
  }
  return (data.versions as Array<Partial<VersionRecord>>)
    .map((v) => ({
      version: String(v.version),
      status: v.status === "released" ? ("released" as const) : ("unreleased" as const),
      released_at: typeof v.released_at === "string" ? v.released_at : null,
    }))
    .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

export function writeRegistry(root: string, records: readonly VersionRecord[]): void {
  const lines = records.map((r) => `    ${JSON.stringify(r)}`);
  const text = `{\n  "versions": [\n${lines.join(",\n")}\n  ]\n}\n`;
  const file = path.join(root, VERSIONS_FILE);
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}
