/**
 * A throw-away copy of the repository for tests that mint versions: the files git knows about
 * (tracked, plus new files not ignored), with node_modules linked rather than copied. The real
 * checkout never gains a test version.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../../server/versions/registry.ts";

export function copyRepository(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const listed = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
  )
    .toString("utf8")
    .split("\0")
    .filter((f) => f !== "" && !f.startsWith("node_modules/") && !f.startsWith("data/"));
  for (const file of listed) {
    const from = path.join(repoRoot, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    const to = path.join(dir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `wth <args>` of the copy, as a child process, and waits for it. */
export function wthIn(root: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "scripts", "wth.js"), ...args], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "development", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c;
    });
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface Served {
  child: ChildProcess;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `wth serve` of the copy on a random port of 127.0.0.1. */
export async function serveIn(root: string, env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(process.execPath, [path.join(root, "scripts", "wth.js"), "serve"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c;
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c;
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  let port: number | undefined;
  while (port === undefined) {
    const m = /"msg":"listening"/.test(output) ? /"port":(\d+)/.exec(output) : null;
    if (m?.[1] !== undefined) port = Number(m[1]);
    else if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`wth serve did not start:\n${output}`);
    } else await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        process.kill(child.pid, "SIGTERM");
        await exited;
      }
    },
  };
}
