/**
 * Writes `openapi/versions.json` for the maintainer commands (mint, release), rewritten whole
 * in one stable format. Reading and validating belong to server/versions/registry.ts, the file's
 * one owner; readRegistry only turns its errors into the commands' error type.
 */
import fs from "node:fs";
import path from "node:path";
import {
  readVersionList,
  VERSIONS_FILE,
  type VersionEntry,
  VersionRegistryError,
} from "../../server/versions/registry.ts";

export { isCalendarDate } from "../../server/versions/registry.ts";

export type VersionRecord = VersionEntry;

export class VersionCommandError extends Error {}

/** The versions, oldest first, as the owner reads them; a bad registry is a VersionCommandError naming it. */
export function readRegistry(root: string): VersionRecord[] {
  try {
    return readVersionList(root).entries.map((e) => ({ ...e }));
  } catch (error) {
    if (error instanceof VersionRegistryError) throw new VersionCommandError(error.message);
    throw error;
  }
}

export function writeRegistry(root: string, records: readonly VersionRecord[]): void {
  const lines = records.map((r) =>
    JSON.stringify({ version: r.version, status: r.status, released_at: r.released_at }),
  );
  const text = `{\n  "versions": [\n${lines.map((l) => `    ${l}`).join(",\n")}\n  ]\n}\n`;
  const file = path.join(root, VERSIONS_FILE);
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}
