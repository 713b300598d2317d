/**
 * Writes `openapi/versions.json` for the maintainer commands (mint, release), rewritten whole
 * in one stable format; reading goes through server/versions/registry.ts, its one parser.
 */
import fs from "node:fs";
import path from "node:path";
import { readVersionEntries, VersionRegistryError } from "../../server/versions/registry.ts";

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

/**
 * The versions, oldest first, as server/versions/registry.ts (the one reader and validator of
 * openapi/versions.json) parses them; a malformed file is a VersionCommandError naming it.
 */
export function readRegistry(root: string): VersionRecord[] {
  try {
    return readVersionEntries(root).map((e) => ({
      version: e.version,
      status: e.status,
      released_at: e.released_at ?? null,
    }));
  } catch (error) {
    if (error instanceof VersionRegistryError) throw new VersionCommandError(error.message);
    throw error;
  }
}

export function writeRegistry(root: string, records: readonly VersionRecord[]): void {
  const lines = records.map((r) => `    ${JSON.stringify(r)}`);
  const text = `{\n  "versions": [\n${lines.join(",\n")}\n  ]\n}\n`;
  const file = path.join(root, VERSIONS_FILE);
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}
