/**
 * The one owner of `openapi/versions.json`: which dated versions exist, their status, the newest
 * released version new integrations pin to, and the bundled document of each. The CLI's
 * maintainer commands (scripts/versions/registry-file.ts) read through it. Loaded once at start-up from
 * `openapi/versions.json` and `generated/<date>/openapi.json`; the server validates every
 * request against the document of the integration's pinned version.
 */
import fs from "node:fs";
import path from "node:path";
import { assertChain } from "./chain.ts";
import type { VersionBundle } from "./change.ts";
import { versionBundle } from "./changes/index.ts";

export interface VersionEntry {
  version: string;
  status: "released" | "unreleased";
  released_at?: string | null;
}

/** A bundled OpenAPI document, kept as plain JSON. */
export type OpenApiDocument = Record<string, unknown>;

export interface VersionRegistry {
  /** The newest released version: what new integrations pin to. */
  newest: string;
  /** Every version, oldest first. */
  entries: VersionEntry[];
  isReleased(version: string): boolean;
  /** The bundled document of a version (throws for a version without one). */
  document(version: string): OpenApiDocument;
}

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class VersionRegistryError extends Error {}

export function readVersionEntries(root = repoRoot): VersionEntry[] {
  const file = path.join(root, "openapi", "versions.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new VersionRegistryError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const list = (parsed as { versions?: unknown }).versions;
  if (!Array.isArray(list) || list.length === 0) {
    throw new VersionRegistryError(`${file}: "versions" must be a non-empty array`);
  }
  const entries: VersionEntry[] = [];
  for (const item of list as Array<Partial<VersionEntry>>) {
    if (typeof item.version !== "string" || !DATE.test(item.version)) {
      throw new VersionRegistryError(`${file}: bad version ${JSON.stringify(item.version)}`);
    }
    if (item.status !== "released" && item.status !== "unreleased") {
      throw new VersionRegistryError(`${file}: ${item.version} has bad status "${item.status}"`);
    }
    if (entries.some((e) => e.version === item.version)) {
      throw new VersionRegistryError(`${file}: ${item.version} is listed twice`);
    }
    entries.push(item as VersionEntry);
  }
  return entries.sort((a, b) => a.version.localeCompare(b.version));
}

export interface LoadRegistryOptions {
  root?: string;
  generatedDir?: string;
  /** The version changes to check against the documents; the server's own by default. */
  bundle?: VersionBundle;
}

/**
 * Loads the registry and checks the version-change chain against it (start-up check): a broken
 * chain throws a VersionChainError whose message names each culprit.
 */
export function loadVersionRegistry(opts: LoadRegistryOptions = {}): VersionRegistry {
  const root = opts.root ?? repoRoot;
  const generatedDir = opts.generatedDir ?? path.join(root, "generated");
  const entries = readVersionEntries(root);
  const released = entries.filter((e) => e.status === "released");
  const newest = released.at(-1)?.version;
  if (newest === undefined) {
    throw new VersionRegistryError("openapi/versions.json lists no released version");
  }
  const documents = new Map<string, OpenApiDocument>();
  for (const entry of entries) {
    const file = path.join(generatedDir, entry.version, "openapi.json");
    if (!fs.existsSync(file)) {
      if (entry.status === "released") {
        throw new VersionRegistryError(
          `${file} is missing: run "npm run generate" to bundle version ${entry.version}`,
        );
      }
      continue;
    }
    documents.set(entry.version, JSON.parse(fs.readFileSync(file, "utf8")) as OpenApiDocument);
  }
  assertChain(
    opts.bundle ?? versionBundle,
    entries.map((e) => ({ version: e.version, document: documents.get(e.version) })),
  );
  return {
    newest,
    entries,
    isReleased: (v) => released.some((e) => e.version === v),
    document(version) {
      const doc = documents.get(version);
      if (doc === undefined) throw new VersionRegistryError(`no bundled document for ${version}`);
      return doc;
    },
  };
}
