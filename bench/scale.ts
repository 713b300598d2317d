/**
 * `npm run bench -- scale [--duration S] [--connections N] [--events N]`
 *
 * Two questions for an operator choosing PostgreSQL, answered in one run on 127.0.0.1:
 * 1. Full-stack `GET /v1/listings?limit=20` and `POST /v1/listings` (a `wth serve` child process
 *    in production mode) on PostgreSQL, against the same on the embedded SQLite baseline.
 * 2. Webhook delivery throughput with two `wth worker` processes against one, on PostgreSQL:
 *    N events are committed first, then the workers start and the clock runs until every
 *    delivery has succeeded at a loopback receiver answering 204.
 * PostgreSQL comes from WTH_TEST_DATABASE_URL (an admin URL; each phase gets its own database)
 * or, when unset, a throwaway cluster from scripts/dev/postgres-cluster.sh.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../server/db/connection.ts";
import { migrateToLatest } from "../server/db/migrate.ts";
import { systemClock, systemRandom } from "../server/deps.ts";
import { storeEvent } from "../server/events/outbox.ts";
import { createIntegration } from "../server/integrations.ts";
import { repoRoot } from "../server/versions/registry.ts";
import { createEndpoint } from "../server/webhooks/endpoints.ts";
import { SecretBox } from "../server/webhooks/secret.ts";
import type { WebhookDb } from "../server/webhooks/tables.ts";
import { spawnWth, type WthProcess } from "../test/webhooks/processes.ts";

const SECRET_KEY = "bench-scale-secret-key-0123456789-abcdef";
const CLUSTER = path.join(repoRoot, "scripts", "dev", "postgres-cluster.sh");

interface Backend {
  name: "sqlite" | "postgres";
  handle: DatabaseHandle;
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "5" },
      connections: { type: "string", default: "16" },
      events: { type: "string", default: "5000" },
    },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const events = Number(values.events);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "wth-bench-scale-"));
  const cluster = await postgresAdmin();
  try {
    console.log(
      `scale: ${duration} s per HTTP run, ${connections} connections, ${events} events per delivery run`,
    );
    const http: Record<string, Record<string, number>> = {};
    for (const name of ["sqlite", "postgres"] as const) {
      const backend = await openBackend(name, work, cluster.url);
      try {
        http[name] = await measureHttp(backend, duration, connections);
      } finally {
        await backend.drop();
      }
    }
    for (const op of ["GET /v1/listings", "POST /v1/listings"]) {
      const base = http.sqlite?.[op] ?? 0;
      const pgRps = http.postgres?.[op] ?? 0;
      console.log(
        `${op.padEnd(18)} sqlite (baseline) ${base.toFixed(0)} req/s   postgres ${pgRps.toFixed(0)} req/s   ratio postgres/sqlite ${(pgRps / base).toFixed(2)}`,
      );
    }

    const rates: number[] = [];
    for (const workers of [1, 2]) {
      const backend = await openBackend("postgres", work, cluster.url);
      try {
        rates.push(await measureDelivery(backend, workers, events));
      } finally {
        await backend.drop();
      }
    }
    console.log(
      `delivery on postgres  1 worker (baseline) ${rates[0]?.toFixed(0)}/s   2 workers ${rates[1]?.toFixed(0)}/s   ratio 2/1 ${((rates[1] ?? 0) / (rates[0] ?? 1)).toFixed(2)}`,
    );
  } finally {
    await cluster.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function postgresAdmin(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.WTH_TEST_DATABASE_URL;
  if (given !== undefined && given !== "") return { url: given, stop: async () => {} };
  const out = execFileSync(CLUSTER, ["start"], { encoding: "utf8" });
  const url = /WTH_TEST_DATABASE_URL=(\S+)/.exec(out)?.[1];
  const dir = /WTH_PG_DIR=(\S+)/.exec(out)?.[1];
  if (url === undefined || dir === undefined) throw new Error(`cluster did not start:\n${out}`);
  return {
    url,
    stop: async () => {
      execFileSync(CLUSTER, ["stop"], { env: { ...process.env, WTH_PG_DIR: dir } });
    },
  };
}

async function openBackend(
  name: "sqlite" | "postgres",
  work: string,
  adminUrl: string,
): Promise<Backend> {
  const dir = await fs.mkdtemp(path.join(work, `${name}-`));
  if (name === "sqlite") {
    const handle = openDatabase({ dataDir: dir });
    await migrateToLatest(handle.db);
    return { name, handle, env: { DATA_DIR: dir }, drop: () => handle.close() };
  }
  const db = `wth_bench_${crypto.randomBytes(4).toString("hex")}`;
  await admin(adminUrl, `CREATE DATABASE ${db}`);
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  const url = u.toString();
  const handle = openDatabase({ dataDir: dir, databaseUrl: url, poolSize: 4 });
  await migrateToLatest(handle.db);
  return {
    name,
    handle,
    env: { DATA_DIR: dir, DATABASE_URL: url },
    drop: async () => {
      await handle.close();
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    },
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function listingBody(i: number): string {
  return JSON.stringify({
    brand: "Cartier",
    model: "Santos",
    reference_number: `WSSA0018-${i}`,
    condition: "very_good",
    price: 720_000,
    currency: "EUR",
  });
}

async function measureHttp(
  backend: Backend,
  duration: number,
  connections: number,
): Promise<Record<string, number>> {
  const deps = { db: backend.handle.db, clock: systemClock, random: systemRandom };
  const { apiKey } = await createIntegration(deps, {
    name: "bench",
    mode: "test",
    apiVersion: "2026-05-07",
  });
  const port = await freePort();
  const server = spawnWth(["serve"], {
    ...backend.env,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    WTH_SECRET_KEY: SECRET_KEY,
    WTH_WEBHOOK_WORKER: "0",
    WTH_DATABASE_POOL_SIZE: "10",
    WTH_RATE_LIMIT_PER_SECOND: "1000000",
    WTH_RATE_LIMIT_BURST: "1000000",
    PORT: String(port),
    HOST: "127.0.0.1",
  });
  try {
    const url = `http://127.0.0.1:${port}/v1/listings`;
    await waitUntilServing(server, `http://127.0.0.1:${port}/docs`);
    const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
    // Some rows for the list to page over, made through the API itself.
    for (let i = 0; i < 50; i++) {
      const res = await fetch(url, { method: "POST", headers, body: listingBody(i) });
      if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    }
    let n = 1000;
    const post = await load({
      url,
      method: "POST",
      headers,
      connections,
      duration,
      setupClient: (client) => {
        client.setBody(listingBody(n++));
      },
    });
    const get = await load({ url: `${url}?limit=20`, headers, connections, duration });
    return { "GET /v1/listings": get, "POST /v1/listings": post };
  } finally {
    server.kill("SIGTERM");
    await server.exited;
  }
}

async function load(opts: autocannon.Options): Promise<number> {
  const result = await autocannon(opts);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${opts.method ?? "GET"} ${opts.url}: ${result.non2xx} non-2xx, ${result.errors} errors`,
    );
  }
  return result.requests.average;
}

/** A free port on 127.0.0.1 (the server logs at warn, so it never prints the one it took). */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitUntilServing(proc: WthProcess, url: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.lines.join("\n")}`);
    const up = await fetch(url).then(
      () => true,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error("server did not start within 90 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function measureDelivery(backend: Backend, workers: number, events: number): Promise<number> {
  let received = 0;
  const rx = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => rx.listen(0, "127.0.0.1", () => resolve()));
  const { port } = rx.address() as { port: number };
  const procs: WthProcess[] = [];
  try {
    const db = backend.handle.db as WebhookDb;
    const deps = { db: backend.handle.db, clock: systemClock, random: systemRandom };
    const { integration } = await createIntegration(deps, {
      name: "bench delivery",
      mode: "test",
      apiVersion: "2026-05-07",
    });
    await createEndpoint(
      { ...deps, db, box: new SecretBox(SECRET_KEY, systemRandom), allowPrivate: true },
      integration,
      { url: `http://127.0.0.1:${port}/hook`, enabled_events: ["*"] },
    );
    const env = {
      ...backend.env,
      LOG_LEVEL: "info",
      WTH_SECRET_KEY: SECRET_KEY,
      WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
      WTH_DATABASE_POOL_SIZE: "4",
    };
    // Workers first, so their start-up is not timed; then every event in one commit.
    for (let i = 0; i < workers; i++) procs.push(spawnWth(["worker"], env));
    await Promise.all(procs.map((p) => p.waitForLine(/webhook worker running/, 90_000)));
    await backend.handle.db.transaction().execute(async (trx) => {
      for (let j = 0; j < events; j++) {
        await storeEvent(trx, deps, integration.id, "listing.updated", {
          id: `lst_${j}`,
          object: "listing",
        });
      }
    });
    const t0 = performance.now();
    const deadline = Date.now() + 600_000;
    for (;;) {
      const open = await db
        .selectFrom("webhook_deliveries")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "!=", "succeeded")
        .executeTakeFirstOrThrow();
      const total = await db
        .selectFrom("webhook_deliveries")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      if (Number(total.n) === events && Number(open.n) === 0) break;
      if (Date.now() > deadline) throw new Error(`delivery did not finish: ${received} received`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    return events / seconds;
  } finally {
    for (const p of procs) p.kill("SIGTERM");
    await Promise.all(procs.map((p) => p.exited));
    await new Promise<void>((resolve) => rx.close(() => resolve()));
  }
}
