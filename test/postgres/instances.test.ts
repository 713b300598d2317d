/**
 * Several instances on one database behave as one service. These run on whichever backend the
 * suite runs on (WTH_TEST_BACKEND): a deployment shares one PostgreSQL database, and several
 * processes on one SQLite file must agree just the same.
 */
import fs from "node:fs/promises";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { openDatabase } from "../../server/db/connection.ts";
import { migrations } from "../../server/db/migrations/index.ts";
import { type AppDeps, systemClock, systemRandom } from "../../server/deps.ts";
import { createIntegration } from "../../server/integrations.ts";
import { loadVersionRegistry, repoRoot } from "../../server/versions/registry.ts";
import { createEmptyTestDatabase, createTestDatabase, testBackend } from "../support/database.ts";
import { spawnWth, type WthProcess } from "../webhooks/processes.ts";

const SECRET_KEY = "instances-test-secret-key-0123456789-abcdef";
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-instances-"));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

function track(proc: WthProcess): WthProcess {
  cleanups.push(async () => {
    proc.kill("SIGKILL");
    await proc.exited;
  });
  return proc;
}

describe(`several instances on one ${testBackend} database`, () => {
  it("when four processes start at once on an empty database, then each migration is applied exactly once and all succeed", async () => {
    const dir = await tempDir();
    const database = await createEmptyTestDatabase({ dir });
    cleanups.push(() => database.close());
    const env = { ...database.env, WTH_SECRET_KEY: SECRET_KEY };
    // Four rather than two: on SQLite an unlocked race showed in about one start in three.
    const procs = Array.from({ length: 4 }, () =>
      track(spawnWth(["integrations", "list", "--json"], env)),
    );
    const codes = await Promise.all(procs.map((p) => p.exited));
    expect(codes, procs.map((p) => p.lines.join("\n")).join("\n---\n")).toEqual([0, 0, 0, 0]);
    for (const p of procs) expect(JSON.parse(p.lines.join("\n"))).toEqual([]);
    const applied = await database.handle.db
      // biome-ignore lint/suspicious/noExplicitAny: Kysely's own bookkeeping table is not in Database
      .selectFrom("kysely_migration" as any)
      .select("name")
      .execute();
    expect(applied.map((r) => r.name).sort()).toEqual(Object.keys(migrations).sort());
  }, 120_000);

  it("when two servers start at once on an empty database, then exactly one demo integration is created and one key printed", async () => {
    const dir = await tempDir();
    const database = await createEmptyTestDatabase({ dir });
    cleanups.push(() => database.close());
    const env = {
      ...database.env,
      WTH_SECRET_KEY: SECRET_KEY,
      PORT: "0",
      HOST: "127.0.0.1",
      WTH_WEBHOOK_WORKER: "0",
    };
    const servers = [track(spawnWth(["serve"], env)), track(spawnWth(["serve"], env))];
    await Promise.all(servers.map((s) => s.waitForLine(/"msg":"listening"/, 90_000)));
    await new Promise((r) => setTimeout(r, 300)); // the key is announced right after listening
    const printed = servers.flatMap((s) =>
      s.lines.filter((l) => /wth_test_[0-9A-Za-z]{32}/.test(l)),
    );
    const integrations = await database.handle.db
      .selectFrom("integrations")
      .select(["id", "name"])
      .execute();
    expect(integrations).toHaveLength(1);
    expect(integrations[0]?.name).toBe("Demo integration");
    expect(printed.filter((l) => l.includes("shown only this once"))).toHaveLength(1);
  }, 120_000);

  it("when a cursor is issued by one instance, then another accepts it; and one Idempotency-Key raced across both runs once", async () => {
    const dir = await tempDir();
    const database = await createTestDatabase({ dir });
    cleanups.push(() => database.close());
    const a = await startInstance(dir, database.url);
    const b = await startInstance(dir, database.url);
    const { apiKey } = await createIntegration(
      { db: database.handle.db, clock: systemClock, random: systemRandom },
      { name: "two instances", mode: "test", apiVersion: "2026-05-07" },
    );

    // The race: the same key and body, sent to both instances at once.
    const body = listing("race");
    const raced = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(i % 2 === 0 ? a.baseUrl : b.baseUrl, apiKey, "POST", "/v1/listings", body, "race-1"),
      ),
    );
    const fresh = raced.filter(
      (r) => r.status === 201 && r.headers["idempotent-replayed"] !== "true",
    );
    const others = raced.filter((r) => !fresh.includes(r));
    expect(fresh).toHaveLength(1);
    for (const r of others) {
      if (r.status === 201) expect(r.body.id).toBe(fresh[0]?.body.id);
      else expect([r.status, r.body.error.code]).toEqual([409, "idempotency_key_in_use"]);
    }
    // Afterwards either instance replays the one response.
    for (const base of [a.baseUrl, b.baseUrl]) {
      const again = await call(base, apiKey, "POST", "/v1/listings", body, "race-1");
      expect(again.status).toBe(201);
      expect(again.headers["idempotent-replayed"]).toBe("true");
      expect(again.body.id).toBe(fresh[0]?.body.id);
    }

    for (let i = 0; i < 4; i++) {
      expect(
        (await call(a.baseUrl, apiKey, "POST", "/v1/listings", listing(String(i)))).status,
      ).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const base = page++ % 2 === 0 ? a.baseUrl : b.baseUrl;
      const query: string = cursor === null ? "" : `&starting_after=${encodeURIComponent(cursor)}`;
      const res = await call(base, apiKey, "GET", `/v1/listings?limit=2${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seen.push(...res.body.data.map((l: { id: string }) => l.id));
      cursor = res.body.next_cursor;
    } while (cursor !== null);
    expect(page).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const stored = await database.handle.db.selectFrom("listings").select("id").execute();
    expect(stored.map((r) => r.id).sort()).toEqual([...seen].sort());
  }, 120_000);
});

function listing(ref: string): Record<string, unknown> {
  return {
    brand: "Omega",
    model: "Speedmaster",
    reference_number: `310.30.42.50.01.${ref}`,
    condition: "excellent",
    price: 650_000,
    currency: "EUR",
  };
}

/** One more app instance with its own connection (pool) to the shared database. */
async function startInstance(dir: string, url: string | undefined): Promise<{ baseUrl: string }> {
  const handle = openDatabase({ dataDir: dir, databaseUrl: url, poolSize: 4 });
  const generatedDir = path.join(repoRoot, "generated");
  const deps: AppDeps = {
    db: handle.db,
    clock: systemClock,
    random: systemRandom,
    logger: pino({ level: "silent" }),
    secretKey: Buffer.from(SECRET_KEY),
    versions: loadVersionRegistry({ generatedDir }),
    settings: {
      validateRequests: true,
      validateResponses: true,
      rateLimit: { perSecond: 10_000, burst: 10_000 },
      idempotencyRetentionMs: 86_400_000,
      idempotencyLockTimeoutMs: 60_000,
      generatedDir,
    },
  };
  const { app } = createApp(deps);
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await handle.close();
  });
  const { port } = server.address() as { port: number };
  return { baseUrl: `http://127.0.0.1:${port}` };
}

async function call(
  base: string,
  key: string,
  method: string,
  url: string,
  body?: unknown,
  idempotencyKey?: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
): Promise<{ status: number; body: any; headers: Record<string, string> }> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text === "" ? undefined : JSON.parse(text),
    headers: Object.fromEntries(res.headers.entries()),
  };
}
