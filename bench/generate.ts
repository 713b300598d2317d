/**
 * `wth bench generate [--version DATE] [--runs N]`: full generation of one version from a cold
 * start (fresh temp copy of openapi/, no generated/, no manifest) against a second run with
 * nothing changed, both through the real CLI in its own process, as a maintainer runs it.
 * Target: cold well under 15 s on the 2-core dev machine; unchanged close to free.
 */
import { spawn } from "node:child_process";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { TOOL_ROOT } from "../scripts/generate/tools.ts";
import { readVersionList } from "../server/versions/registry.ts";

function runCli(args: string[]): Promise<{ ms: number; code: number; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(TOOL_ROOT, "scripts/wth.js"), ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const err: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        ms: performance.now() - started,
        code: code ?? 1,
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** What new integrations pin to, as the registry's owner says. */
function newestReleased(): string {
  return readVersionList(TOOL_ROOT).pinnedDefault();
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { version: { type: "string" }, runs: { type: "string", default: "3" } },
  });
  const version = values.version ?? newestReleased();
  const runs = Math.max(1, Number(values.runs));
  const coldMs: number[] = [];
  const unchangedMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const root = await mkdtemp(path.join(os.tmpdir(), "wth-bench-generate-"));
    try {
      await cp(path.join(TOOL_ROOT, "openapi"), path.join(root, "openapi"), { recursive: true });
      // generate lints with the repository's own scripts/lint (house rules, Spectral): link it
      // in so the cold run does the same work as in this checkout.
      await symlink(path.join(TOOL_ROOT, "scripts"), path.join(root, "scripts"), "dir");
      const generateArgs = ["generate", "--root", root, "--version", version];
      const cold = await runCli(generateArgs);
      if (cold.code !== 0) throw new Error(`cold generation failed:\n${cold.stderr}`);
      coldMs.push(cold.ms);
      const unchanged = await runCli(generateArgs);
      if (unchanged.code !== 0 || !unchanged.stderr.includes("unchanged")) {
        throw new Error(`the unchanged run did not reuse the outputs:\n${unchanged.stderr}`);
      }
      unchangedMs.push(unchanged.ms);
      process.stdout.write(
        `run ${i + 1}/${runs}: cold ${(cold.ms / 1000).toFixed(2)} s, unchanged ${(unchanged.ms / 1000).toFixed(2)} s\n`,
      );
      if (i === 0)
        process.stdout.write(
          `  ${cold.stderr.split("\n").find((l) => l.includes("generated")) ?? ""}\n`,
        );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  const cold = median(coldMs);
  const unchanged = median(unchangedMs);
  process.stdout.write(
    [
      `generate ${version} (median of ${runs}, CLI process start-up included, ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)})`,
      `  baseline, cold (no generated/, no manifest): ${(cold / 1000).toFixed(2)} s   target < 15 s`,
      `  unchanged (hashes match, nothing rerun):     ${(unchanged / 1000).toFixed(2)} s`,
      `  ratio unchanged / cold:                      ${(unchanged / cold).toFixed(3)}  (${(cold / unchanged).toFixed(1)}x faster)`,
      "",
    ].join("\n"),
  );
}
