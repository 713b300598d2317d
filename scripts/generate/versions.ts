import { readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { compareCodeUnits } from "./canonical-json.ts";
import { GenerateError, type Problem } from "./problems.ts";

/** One entry of `openapi/versions.json`. */
export interface VersionEntry {
  version: string;
  status: "released" | "unreleased";
  released_at: string | null;
}

export const VERSIONS_FILE = "openapi/versions.json";
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads and checks the version registry; entries come back sorted oldest first. */
export async function loadVersions(root: string): Promise<VersionEntry[]> {
  let text: string;
  try {
    text = await readFile(path.join(root, VERSIONS_FILE), "utf8");
  } catch (error) {
    throw new GenerateError([
      { file: VERSIONS_FILE, message: (error as Error).message, rule: "versions-registry" },
    ]);
  }
  // The yaml parser reads JSON too and, unlike JSON.parse, tells us the line of a syntax error.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const syntax: Problem[] = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return {
      file: VERSIONS_FILE,
      line: pos.line,
      column: pos.col,
      message: error.message.split("\n")[0] ?? error.message,
      rule: "json-syntax",
    };
  });
  if (syntax.length > 0) throw new GenerateError(syntax);
  return checkRegistry(doc.toJS() as unknown);
}

function checkRegistry(value: unknown): VersionEntry[] {
  const fail = (message: string): never => {
    throw new GenerateError([{ file: VERSIONS_FILE, message, rule: "versions-registry" }]);
  };
  const list = (value as { versions?: unknown } | null)?.versions;
  if (!Array.isArray(list)) return fail(`expected {"versions": [...]}`);
  const seen = new Set<string>();
  const entries: VersionEntry[] = [];
  for (const [index, raw] of list.entries()) {
    const item = raw as Partial<VersionEntry> | null;
    const version = item?.version;
    if (typeof version !== "string" || !DATE.test(version)) {
      fail(`versions[${index}].version must be a YYYY-MM-DD string`);
    }
    const date = version as string;
    if (seen.has(date)) fail(`version ${date} is listed twice`);
    seen.add(date);
    if (item?.status !== "released" && item?.status !== "unreleased") {
      fail(`versions[${index}].status must be "released" or "unreleased"`);
    }
    const releasedAt = item?.released_at ?? null;
    if (releasedAt !== null && (typeof releasedAt !== "string" || !DATE.test(releasedAt))) {
      fail(`versions[${index}].released_at must be a YYYY-MM-DD string or null`);
    }
    entries.push({
      version: date,
      status: item?.status as VersionEntry["status"],
      released_at: releasedAt,
    });
  }
  return entries.sort((a, b) => compareCodeUnits(a.version, b.version));
}

/** The newest released version: what new integrations pin to. */
export function currentVersion(entries: VersionEntry[]): string | undefined {
  return entries.filter((e) => e.status === "released").at(-1)?.version;
}
