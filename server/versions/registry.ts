/**
 * The one owner of `openapi/versions.json`: which dated versions exist, their status, the newest
 * released version new integrations pin to, and the bundled document of each. Nothing else reads
 * or parses the file: the CLI (lint, generate, diff, check, mint, release), generation, benches and
 * tests ask readVersionList; scripts/versions/registry-file.ts only writes it for mint and release
 * (test/versions/registry-owner.test.ts enforces this). Loaded once at start-up from
 * `openapi/versions.json` and `generated/<date>/openapi.json`; the server validates every
 * request against the document of the integration's pinned version.
 */
import fs from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { assertChain } from "./chain.ts";
import type { VersionBundle } from "./change.ts";
import { versionBundle } from "./changes/index.ts";

/** The registry's path inside a repository: named here, and read nowhere else. */
export const VERSIONS_FILE = "openapi/versions.json";

/** One dated version as the registry lists it. */
export interface VersionEntry {
  version: string;
  status: "released" | "unreleased";
  /** The release date; null while unreleased, or when the registry does not say. */
  released_at: string | null;
}

/** A bundled OpenAPI document, kept as plain JSON. */
export type OpenApiDocument = Record<string, unknown>;

/** The version list and the rules every reader of it shares. */
export interface VersionList {
  /** Every version, oldest first. */
  readonly entries: readonly VersionEntry[];
  /** Every version's date, oldest first. */
  readonly versions: readonly string[];
  /** The released versions, oldest first. */
  readonly released: readonly VersionEntry[];
  /** The newest released version, if any: what new integrations pin to. */
  readonly newest: string | undefined;
  /** The newest listed version, released or not: the one the handlers speak. */
  readonly latest: string | undefined;
  has(version: string): boolean;
  isReleased(version: string): boolean;
  /** The entry of a listed version; an unknown date is a VersionRegistryError naming the file. */
  entry(version: string): VersionEntry;
  /** The version a new integration is pinned to; a VersionRegistryError when none is released. */
  pinnedDefault(): string;
}

export interface VersionRegistry {
  /** The newest released version: what new integrations pin to. */
  newest: string;
  /** Every version, oldest first. */
  entries: readonly VersionEntry[];
  list: VersionList;
  isReleased(version: string): boolean;
  /** The bundled document of a version (throws for a version without one). */
  document(version: string): OpenApiDocument;
}

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `date` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(date: string): boolean {
  if (!DATE.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/**
 * A missing, unreadable or malformed registry, or a question it cannot answer. The message is
 * one line that starts with the file (and the line and column of a JSON syntax error).
 */
export class VersionRegistryError extends Error {
  /** What is wrong, without the file. */
  readonly detail: string;
  readonly file: string;
  readonly position: { line: number; column: number } | undefined;
  /** The file could not be read at all (missing or unreadable). */
  readonly unreadable: boolean;
  constructor(
    detail: string,
    opts: {
      file?: string;
      position?: { line: number; column: number };
      unreadable?: boolean;
    } = {},
  ) {
    const file = opts.file ?? VERSIONS_FILE;
    const at = opts.position === undefined ? "" : `:${opts.position.line}:${opts.position.column}`;
    super(`${file}${at}: ${detail}`);
    this.name = "VersionRegistryError";
    this.detail = detail;
    this.file = file;
    this.position = opts.position;
    this.unreadable = opts.unreadable ?? false;
  }
}

export interface ReadVersionsOptions {
  /** "empty": a repository without a registry has no versions (nothing is released yet). */
  ifMissing?: "fail" | "empty";
}

/**
 * Reads and validates `openapi/versions.json` of the repository at `root`. The one reader of the
 * file: the server, the CLI, generation, benches and tests all come here.
 */
export function readVersionList(root = repoRoot, opts: ReadVersionsOptions = {}): VersionList {
  const file = path.join(root, VERSIONS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && opts.ifMissing === "empty") return versionListOf([]);
    throw new VersionRegistryError(
      code === "ENOENT" ? `missing (looked for ${file})` : `cannot read: ${(err as Error).message}`,
      { unreadable: true },
    );
  }
  return parseVersionList(text);
}

/** The entries of the registry at `root`, oldest first (readVersionList(root).entries). */
export function readVersionEntries(root = repoRoot): readonly VersionEntry[] {
  return readVersionList(root).entries;
}

/** Validates the registry's text; every rule about what the file may contain lives here. */
export function parseVersionList(text: string): VersionList {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new VersionRegistryError(`invalid JSON: ${firstLine((err as Error).message)}`, {
      position: syntaxPosition(text, (err as Error).message),
    });
  }
  const list = (parsed as { versions?: unknown } | null)?.versions;
  if (!Array.isArray(list) || list.length === 0) {
    throw new VersionRegistryError(`expected {"versions": [...]} listing at least one version`);
  }
  const entries: VersionEntry[] = [];
  for (const [index, raw] of list.entries()) {
    const item = (raw ?? {}) as Record<string, unknown>;
    const version = item.version;
    if (typeof version !== "string" || !isCalendarDate(version)) {
      throw new VersionRegistryError(
        `versions[${index}].version must be a YYYY-MM-DD date, not ${JSON.stringify(version)}`,
      );
    }
    if (item.status !== "released" && item.status !== "unreleased") {
      throw new VersionRegistryError(
        `versions[${index}].status must be "released" or "unreleased", not ${JSON.stringify(item.status)}`,
      );
    }
    const releasedAt = item.released_at ?? null;
    if (releasedAt !== null && (typeof releasedAt !== "string" || !isCalendarDate(releasedAt))) {
      throw new VersionRegistryError(
        `versions[${index}].released_at must be a YYYY-MM-DD date or null, not ${JSON.stringify(releasedAt)}`,
      );
    }
    if (entries.some((e) => e.version === version)) {
      throw new VersionRegistryError(`version ${version} is listed twice`);
    }
    entries.push({ version, status: item.status, released_at: releasedAt });
  }
  // Dates written YYYY-MM-DD sort as strings; code-unit order does not depend on the locale.
  entries.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  return versionListOf(entries);
}

function versionListOf(entries: VersionEntry[]): VersionList {
  const released = entries.filter((e) => e.status === "released");
  const newest = released.at(-1)?.version;
  const byVersion = new Map(entries.map((e) => [e.version, e]));
  return {
    entries,
    versions: entries.map((e) => e.version),
    released,
    newest,
    latest: entries.at(-1)?.version,
    has: (version) => byVersion.has(version),
    isReleased: (version) => byVersion.get(version)?.status === "released",
    entry(version) {
      const entry = byVersion.get(version);
      if (entry === undefined) throw new VersionRegistryError(`does not list ${version}`);
      return entry;
    },
    pinnedDefault() {
      if (newest === undefined) throw new VersionRegistryError("lists no released version");
      return newest;
    },
  };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/**
 * Where a JSON syntax error is: JSON.parse gives an offset for most errors; for the rest (an
 * unexpected end, say) the yaml parser, which reads JSON too, says where it stopped.
 */
function syntaxPosition(
  text: string,
  message: string,
): { line: number; column: number } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const at = /at position (\d+)/.exec(message)?.[1];
  const offset = at !== undefined ? Number(at) : doc.errors[0]?.pos[0];
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
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
  const list = readVersionList(root);
  const entries = list.entries;
  const newest = list.pinnedDefault();
  const documents = new Map<string, OpenApiDocument>();
  for (const entry of entries) {
    const file = path.join(generatedDir, entry.version, "openapi.json");
    if (!fs.existsSync(file)) {
      if (entry.status === "released") {
        throw new VersionRegistryError(
          `missing: run "npm run generate" to bundle version ${entry.version}`,
          { file },
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
    list,
    isReleased: list.isReleased,
    document(version) {
      const doc = documents.get(version);
      if (doc === undefined) {
        throw new VersionRegistryError(`no bundled document for ${version}`, {
          file: path.join(generatedDir, version, "openapi.json"),
        });
      }
      return doc;
    },
  };
}
