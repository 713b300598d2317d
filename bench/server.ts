/**
 * `npm run bench -- server [--duration S] [--connections N] [--rounds R]`
 *
 * GET /v1/listings?limit=20 through the full stack (production mode: request validation on,
 * response validation off) against (a) the same server and handler with validation off and
 * (b) a bare Express route returning the same JSON from memory. Each target is its own process;
 * autocannon runs from another process, all on 127.0.0.1. Targets run one after another, in
 * alternating rounds, so drift on a shared machine hits all alike; the median round is reported.
 * Target: full stack ≥ 0.80 of (a).
 */
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openSqlite } from "../server/db/connection.ts";
import { migrateToLatest } from "../server/db/migrate.ts";
import { systemClock, systemRandom } from "../server/deps.ts";
import { createIntegration } from "../server/integrations.ts";
import { loadVersionRegistry, repoRoot } from "../server/versions/registry.ts";
import {
  cpuUs,
  type LoadResult,
  loadArgs,
  median,
  peakRssMb,
  runLoad,
  stopChild,
} from "./server/measure.ts";

type Mode = "full" | "novalid" | "bare";

interface Measurement extends LoadResult {
  /** The target's CPU time (user + system) per request, in µs: robust against a busy machine. */
  cpuUsPerRequest: number;
  peakRssMb: number;
}

const TARGET = path.join(repoRoot, "bench", "server", "target.ts");

async function startTarget(
  mode: Mode,
  env: NodeJS.ProcessEnv,
  pageFile: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(TARGET, [mode, pageFile], {
    env,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`target ${mode} exited with ${code}`)));
  });
  return { child, port };
}

export async function run(args: string[]): Promise<void> {
  const { duration, connections, rounds } = loadArgs(args, 3);

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-bench-server-"));
  try {
    // Seed: one integration with 30 listings, so a page of 20 is full and has_more is true.
    const handle = openSqlite(path.join(dataDir, "wth.sqlite"));
    await migrateToLatest(handle.db);
    const { integration, apiKey } = await createIntegration(
      { db: handle.db, clock: systemClock, random: systemRandom },
      { name: "Bench", mode: "test", apiVersion: loadVersionRegistry().newest },
    );
    await handle.close();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      WTH_SECRET_KEY: "bench-secret-bench-secret-bench-secret-0001",
      WTH_RATE_LIMIT_PER_SECOND: "100000000",
      WTH_RATE_LIMIT_BURST: "100000000",
      TMPDIR: dataDir,
      // Only the HTTP path is measured; webhook delivery has its own benchmark.
      WTH_WEBHOOK_WORKER: "0",
    };
    const headers = { authorization: `Bearer ${apiKey}` };
    const pageFile = path.join(dataDir, "page.json");
    {
      const { child, port } = await startTarget("full", env, pageFile);
      for (let i = 0; i < 30; i++) {
        await fetch(`http://127.0.0.1:${port}/v1/listings`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({
            brand: i % 2 === 0 ? "Rolex" : "Omega",
            model: `Model ${i}`,
            reference_number: `REF-${1000 + i}`,
            condition: "excellent",
            price: 100000 + i,
            currency: "EUR",
            year: 2000 + (i % 20),
            description: "A benchmark listing with a description of realistic length for a watch.",
            metadata: { sku: `SKU-${i}` },
          }),
        });
      }
      const page = await fetch(`http://127.0.0.1:${port}/v1/listings?limit=20`, { headers });
      await fs.writeFile(pageFile, await page.text());
      await stopChild(child);
    }
    process.stdout.write(
      `server bench: GET /v1/listings?limit=20, ${connections} connections, ${duration}s × ${rounds} rounds per target (integration ${integration.id})\n`,
    );

    const results: Record<Mode, Measurement[]> = { full: [], novalid: [], bare: [] };
    const order: Mode[] = ["bare", "novalid", "full"];
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? order : [...order].reverse()) {
        const { child, port } = await startTarget(mode, env, pageFile);
        const url = `http://127.0.0.1:${port}/v1/listings?limit=20`;
        await runLoad({ url, headers, connections, duration: 2 }); // warm-up: JIT, caches
        const cpuBefore = cpuUs(child.pid ?? 0);
        const m = await runLoad({ url, headers, connections, duration });
        const cpuUsPerRequest = (cpuUs(child.pid ?? 0) - cpuBefore) / Math.max(1, m.total);
        results[mode].push({ ...m, cpuUsPerRequest, peakRssMb: peakRssMb(child.pid ?? 0) });
        await stopChild(child);
        if (m.non2xx > 0 || m.errors > 0) {
          throw new Error(
            `${mode}: ${m.non2xx} non-2xx and ${m.errors} errors; the benchmark is invalid`,
          );
        }
      }
    }

    const summary = (mode: Mode) => ({
      rps: median(results[mode].map((r) => r.rps)),
      p50: median(results[mode].map((r) => r.p50)),
      p99: median(results[mode].map((r) => r.p99)),
      rss: Math.max(...results[mode].map((r) => r.peakRssMb)),
      cpu: median(results[mode].map((r) => r.cpuUsPerRequest)),
    });
    const full = summary("full");
    const novalid = summary("novalid");
    const bare = summary("bare");
    const row = (name: string, s: ReturnType<typeof summary>) =>
      `${name.padEnd(38)}${s.rps.toFixed(0).padStart(10)}${`${s.p50} ms`.padStart(10)}${`${s.p99} ms`.padStart(10)}${`${s.rss.toFixed(0)} MB`.padStart(12)}${`${s.cpu.toFixed(0)} µs`.padStart(14)}`;
    const lines = [
      `${"target".padEnd(38)}${"req/s".padStart(10)}${"p50".padStart(10)}${"p99".padStart(10)}${"peak RSS".padStart(12)}${"CPU/request".padStart(14)}`,
      row("(b) bare Express, JSON from memory", bare),
      row("(a) full stack, validation off", novalid),
      row("full stack (validated)", full),
      "",
      `full / (a)  = ${(full.rps / novalid.rps).toFixed(2)}   (target ≥ 0.80: ${full.rps / novalid.rps >= 0.8 ? "met" : "NOT met"})`,
      `full / (b)  = ${(full.rps / bare.rps).toFixed(2)}`,
      `(a)  / (b)  = ${(novalid.rps / bare.rps).toFixed(2)}`,
      `by server CPU per request (less sensitive to a busy machine): full / (a) = ${(novalid.cpu / full.cpu).toFixed(2)}, full / (b) = ${(bare.cpu / full.cpu).toFixed(2)}`,
      `rounds (req/s): full ${results.full.map((r) => r.rps.toFixed(0)).join(", ")}; (a) ${results.novalid.map((r) => r.rps.toFixed(0)).join(", ")}; (b) ${results.bare.map((r) => r.rps.toFixed(0)).join(", ")}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
