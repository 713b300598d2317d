import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const wth = path.join(repoRoot, "scripts/wth.js");

const made: string[] = [];

export function tempDir(prefix = "wth-diff-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** The frozen 2026-05-07 document: realistic, and never changes under the tests. */
export function releasedFiles(): Record<string, string> {
  const snap = JSON.parse(
    readFileSync(path.join(repoRoot, "openapi/snapshots/2026-05-07.json"), "utf8"),
  ) as {
    files: Record<string, string>;
  };
  return snap.files;
}

export interface Edit {
  file: string;
  from: string;
  to: string;
}

/** Writes the released document with textual edits (each must match exactly once) to a temp dir. */
export function editedRelease(edits: Edit[]): string {
  const files = { ...releasedFiles() };
  for (const e of edits) {
    const text = files[e.file];
    if (text === undefined) throw new Error(`no file ${e.file} in the snapshot`);
    const count = text.split(e.from).length - 1;
    if (count !== 1)
      throw new Error(`edit of ${e.file} matches ${count} times: ${JSON.stringify(e.from)}`);
    files[e.file] = text.replace(e.from, () => e.to);
  }
  const dir = tempDir("wth-rev-");
  writeTree(dir, files);
  return path.join(dir, "openapi.yaml");
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process; stops it (by PID) if it outlives the timeout. */
export function runWth(args: string[], cwd = repoRoot, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wth, ...args], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
