import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = path.join(REPO_ROOT, "test/generate/fixtures");

/** A fresh temp repository root holding a copy of one fixture's `openapi/`. */
export async function fixtureRoot(fixture: string): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), `wth-generate-${fixture}-`));
  await cp(path.join(FIXTURES, fixture), root, { recursive: true });
  return root;
}

/** Copies a whole temp root (sources and generated/) so one generation serves several tests. */
export async function cloneRoot(root: string): Promise<string> {
  const copy = await mkdtemp(path.join(os.tmpdir(), "wth-generate-clone-"));
  await cp(root, copy, { recursive: true });
  return copy;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (`node scripts/wth.js generate ...`) against a temp root, in its own process. */
export function runGenerate(root: string, args: string[] = []): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, "scripts/wth.js"), "generate", "--root", root, ...args],
      {
        cwd: root,
        env: { ...process.env, TMPDIR: os.tmpdir(), NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** Every file under `dir`, as sorted relative paths. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else out.push(child);
    }
  }
  await walk("");
  return out.sort();
}

/** One hash over a whole directory tree: paths and bytes. */
export async function treeHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of await listTree(dir)) {
    hash.update(`${file}\0`);
    hash.update(await readFile(path.join(dir, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
