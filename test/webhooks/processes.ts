import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../../server/versions/registry.ts";

/**
 * `wth <command>` in a real child process (one PID: the shim registers tsx in-process), with
 * its output collected line by line. Tests kill what they start, by PID.
 */
export interface WthProcess {
  child: ChildProcess;
  pid: number;
  lines: string[];
  /** Resolves with the first output line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | null>;
}

export function spawnWth(args: string[], env: NodeJS.ProcessEnv): WthProcess {
  return spawnNode([path.join(repoRoot, "scripts", "wth.js"), ...args], {
    cwd: repoRoot,
    env: { LOG_LEVEL: "info", ...env },
  });
}

/** `node <args>` as a child process with collected output lines. */
export function spawnNode(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): WthProcess {
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not start node ${args.join(" ")}`);
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      for (const p of parts) onLine(p);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const pid = child.pid;
  return {
    child,
    pid,
    lines,
    waitForLine(pattern, timeoutMs = 60_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `wth ${args.join(" ")} (pid ${pid}) printed no line matching ${pattern}:\n${lines.slice(-20).join("\n")}`,
            ),
          );
        }, timeoutMs);
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        exited.then(() => {
          clearTimeout(timer);
          reject(
            new Error(
              `wth ${args.join(" ")} exited before printing ${pattern}:\n${lines.slice(-20).join("\n")}`,
            ),
          );
        });
      });
    },
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, signal);
    },
    exited,
  };
}

/** Starts `wth serve` on a random port; resolves with the port and, on an empty DB, the demo key. */
export async function startServe(
  env: NodeJS.ProcessEnv,
): Promise<{ proc: WthProcess; baseUrl: string; demoKey: string | undefined }> {
  const proc = spawnWth(["serve"], { PORT: "0", HOST: "127.0.0.1", ...env });
  const listening = await proc.waitForLine(/"msg":"listening"/);
  const port = (JSON.parse(listening) as { port: number }).port;
  await new Promise((r) => setTimeout(r, 50)); // the demo key is announced right after listening
  const keyLine = proc.lines.find((l) => /wth_test_[0-9A-Za-z]{32}/.test(l));
  const demoKey = keyLine?.match(/wth_test_[0-9A-Za-z]{32}/)?.[0];
  return { proc, baseUrl: `http://127.0.0.1:${port}`, demoKey };
}

export async function api(
  baseUrl: string,
  key: string,
  method: string,
  url: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
}
