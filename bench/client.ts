/**
 * `npm run bench -- client [--calls N]`: the same sequence of GETs through the generated client
 * and through raw `fetch`, against the same live server, in the same run, calls interleaved.
 * Prints each side's median time per call, their ratio (target client/raw throughput ≥ 0.9) and
 * the client's overhead per call in µs; then the same without a network (an in-memory `fetch`),
 * which isolates the client's own cost.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createClient } from "../generated/2026-05-07/client/index.js";
import { TOOL_ROOT } from "../scripts/generate/tools.ts";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [path.join(TOOL_ROOT, "scripts/wth.js"), "serve"], {
    cwd: TOOL_ROOT,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      WTH_RATE_LIMIT_PER_SECOND: "1000000",
      WTH_RATE_LIMIT_BURST: "1000000",
      WTH_WEBHOOK_WORKER: "0",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"listening"/.exec(output);
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

async function createKey(dataDir: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [path.join(TOOL_ROOT, "scripts/wth.js"), "integrations", "create", "--name", "bench", "--json"],
    {
      cwd: TOOL_ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  await once(child, "close");
  return (JSON.parse(out) as { api_key: string }).api_key;
}

/** Awaits `call` once; returns how long it took, in µs. */
async function timeOne(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return (performance.now() - started) * 1000;
}

/**
 * Interleaves single calls (raw, client, client, raw, …) so that load from other processes on a
 * shared machine hits both sides alike; compares medians, which ignore the stalls such load causes.
 */
async function compare(
  label: string,
  calls: number,
  raw: () => Promise<unknown>,
  client: () => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < Math.min(calls, 200); i++) {
    await raw(); // warm-up: connections, JIT
    await client();
  }
  const rawUs: number[] = [];
  const clientUs: number[] = [];
  for (let i = 0; i < calls; i++) {
    if (i % 2 === 0) {
      rawUs.push(await timeOne(raw));
      clientUs.push(await timeOne(client));
    } else {
      clientUs.push(await timeOne(client));
      rawUs.push(await timeOne(raw));
    }
  }
  const r = median(rawUs);
  const c = median(clientUs);
  process.stdout.write(
    `${label} (${calls} calls each, medians)\n` +
      `  baseline (raw fetch): ${r.toFixed(1)} µs/call  (${(1e6 / r).toFixed(0)} calls/s)\n` +
      `  client:               ${c.toFixed(1)} µs/call  (${(1e6 / c).toFixed(0)} calls/s)\n` +
      `  ratio client/raw throughput: ${(r / c).toFixed(3)}   overhead: ${(c - r).toFixed(1)} µs/call\n`,
  );
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { calls: { type: "string", default: "2000" } },
  });
  const calls = Math.max(1, Number(values.calls));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "wth-bench-client-"));
  const server = await startServer(dataDir);
  try {
    const apiKey = await createKey(dataDir);
    const wth = createClient({ apiKey, baseUrl: server.baseUrl });
    const created = await wth.POST("/v1/listings", {
      body: {
        brand: "Omega",
        model: "Speedmaster",
        reference_number: "310.30.42.50.01.001",
        condition: "excellent",
        price: 650_000,
        currency: "EUR",
      },
    });
    if (created.error) throw new Error(`setup failed: ${created.error.code}`);
    const id = created.data.id;
    const url = `${server.baseUrl}/v1/listings/${id}`;
    const authorization = `Bearer ${apiKey}`;

    process.stdout.write(
      "GET /v1/listings/{id}: one call at a time, client and raw fetch interleaved\n",
    );
    await compare(
      "live server on 127.0.0.1",
      calls,
      async () => {
        const response = await fetch(url, { headers: { authorization } });
        if (!response.ok) throw new Error(`raw GET failed: ${response.status}`);
        return response.json();
      },
      async () => {
        const { error } = await wth.GET("/v1/listings/{listing_id}", {
          params: { path: { listing_id: id } },
        });
        if (error) throw new Error(`client GET failed: ${error.code}`);
      },
    );

    // Without the network: both sides get the same canned response from an in-memory fetch.
    const body = JSON.stringify(created.data);
    const headers = { "content-type": "application/json", "x-api-version": "2026-05-07" };
    const memoryFetch = async (input: Request | string): Promise<Response> => {
      void input;
      return new Response(body, { status: 200, headers });
    };
    const offline = createClient({ apiKey, baseUrl: server.baseUrl, fetch: memoryFetch });
    await compare(
      "in-memory fetch (the client's own cost)",
      calls * 5,
      async () => {
        const response = await memoryFetch(new Request(url, { headers: { authorization } }));
        return response.json();
      },
      async () => {
        const { error } = await offline.GET("/v1/listings/{listing_id}", {
          params: { path: { listing_id: id } },
        });
        if (error) throw new Error(`client GET failed: ${error.code}`);
      },
    );
  } finally {
    const exited = once(server.child, "exit");
    server.child.kill("SIGTERM");
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}
