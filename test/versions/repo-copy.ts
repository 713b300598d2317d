/**
 * Runs the CLI and the server of a repository copy (scripts/versions/copy.ts) as child processes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export { copyRepository } from "../../scripts/versions/copy.ts";

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
