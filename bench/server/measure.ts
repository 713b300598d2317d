/**
 * What the HTTP benchmarks (server, versions) share: the load generator run as its own process,
 * a target's CPU time and peak memory read from /proc, stopping a target, and the median.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../../server/versions/registry.ts";

const LOAD = path.join(repoRoot, "bench", "server", "load.ts");

/** `--duration S --connections N --rounds R`, the options both HTTP benchmarks take. */
export function loadArgs(
  args: string[],
  defaultRounds: number,
): { duration: number; connections: number; rounds: number } {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "8" },
      connections: { type: "string", default: "10" },
      rounds: { type: "string", default: String(defaultRounds) },
    },
  });
  return {
    duration: Number(values.duration),
    connections: Number(values.connections),
    rounds: Number(values.rounds),
  };
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
}

/** What bench/server/load.ts prints: autocannon's figures for one run. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", LOAD, JSON.stringify(opts)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
    });
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(out) as LoadResult);
    });
  });
}

/** SIGTERM, then SIGKILL if the target has not exited within 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  const running = () => child.exitCode === null && child.signalCode === null;
  if (!running() || child.pid === undefined) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(child.pid, "SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (running()) process.kill(child.pid, "SIGKILL");
}

function procFile(pid: number, name: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch {
    return "";
  }
}

/** utime + stime of a process, in µs (clock ticks are 100 Hz on Linux). */
export function cpuUs(pid: number): number {
  const stat = procFile(pid, "stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

export function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+)\s+kB/.exec(procFile(pid, "status"))?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
