import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { compareCodeUnits } from "./canonical-json.ts";
import type { Problem } from "./problems.ts";

/** The files of one dated version's folder, read once and shared by hashing and checking. */
export interface VersionSource {
  /** Repo-relative folder, `openapi/<date>`. */
  dir: string;
  /** Repo-relative path of the root document. */
  rootFile: string;
  /** Repo-relative path → bytes, sorted by path. */
  files: Map<string, Buffer>;
  /** sha256 (hex) over every file's relative path and bytes. */
  sha256: string;
}

export async function readVersionSource(root: string, version: string): Promise<VersionSource> {
  const dir = `openapi/${version}`;
  const relPaths = (await listFiles(path.join(root, dir))).map((p) => `${dir}/${p}`);
  relPaths.sort(compareCodeUnits);
  const files = new Map<string, Buffer>();
  const hash = createHash("sha256");
  for (const rel of relPaths) {
    const bytes = await readFile(path.join(root, rel));
    files.set(rel, bytes);
    // Path and length framing: renaming or splitting a file changes the hash too.
    hash.update(`${rel.slice(dir.length + 1)}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return { dir, rootFile: `${dir}/openapi.yaml`, files, sha256: hash.digest("hex") };
}

async function listFiles(absDir: string, prefix = ""): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(absDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const out: string[] = [];
  for (const entry of entries) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(absDir, entry.name), rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/**
 * Parses every YAML and JSON file of the version, so that a syntax error anywhere is reported
 * with its own file and line (Redocly reports a broken root document only as free text).
 */
export function checkSyntax(source: VersionSource): Problem[] {
  const problems: Problem[] = [];
  if (!source.files.has(source.rootFile)) {
    problems.push({
      file: source.rootFile,
      message: `the root document is missing (every version folder needs openapi.yaml)`,
      rule: "missing-root-document",
    });
  }
  for (const [file, bytes] of source.files) {
    if (!/\.(ya?ml|json)$/.test(file)) continue;
    const lineCounter = new LineCounter();
    const doc = parseDocument(bytes.toString("utf8"), { lineCounter, prettyErrors: false });
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      problems.push({
        file,
        line: pos.line,
        column: pos.col,
        message: error.message.split("\n")[0] ?? error.message,
        rule: "yaml-syntax",
      });
    }
  }
  return problems;
}
