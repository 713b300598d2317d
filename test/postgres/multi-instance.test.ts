/**
 * A deployment in miniature: two `wth serve` and two `wth worker` processes on one database,
 * events created through both servers' API, one worker SIGKILLed mid-stream. The issue asks for
 * 10,000 events on PostgreSQL; the SQLite pass runs the same test with 1,000 (one SQLite file
 * serialises every writer, so it proves the same properties at a tenth of the CI time).
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock, systemRandom } from "../../server/deps.ts";
import { createIntegration } from "../../server/integrations.ts";
import { createTestDatabase, testBackend } from "../support/database.ts";
import { waitFor } from "../webhooks/harness.ts";
import { api, spawnWth, type WthProcess } from "../webhooks/processes.ts";
import { startReceiver } from "../webhooks/receiver.ts";

const TOTAL = testBackend === "postgres" ? 10_000 : 1_000;
const LANES = 16;
const SECRET_KEY = "multi-instance-secret-key-0123456789-abcdef";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function track(proc: WthProcess): WthProcess {
  cleanups.push(async () => {
    proc.kill("SIGKILL");
    await proc.exited;
  });
  return proc;
}

describe(`two servers and two workers on one ${testBackend} database`, () => {
  it(`when ${TOTAL.toLocaleString("en")} events are created through both servers and one worker is SIGKILLed mid-stream, then every event is delivered and no attempt is sent twice`, async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-multi-"));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const database = await createTestDatabase({ dir });
    cleanups.push(() => database.close());
    const { db } = database.handle;
    const { integration, apiKey } = await createIntegration(
      { db, clock: systemClock, random: systemRandom },
      { name: "multi-instance", mode: "test", apiVersion: "2026-05-07" },
    );

    const received = new Map<string, number>();
    const rx = await startReceiver((req, res) => {
      const id = String(req.headers["webhook-id"]);
      received.set(id, (received.get(id) ?? 0) + 1);
      setTimeout(() => res.writeHead(204).end(), 5);
    });
    cleanups.push(() => rx.close());

    const env = {
      ...database.env,
      WTH_SECRET_KEY: SECRET_KEY,
      WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
      WTH_DATABASE_POOL_SIZE: "4",
      WTH_RATE_LIMIT_PER_SECOND: "100000",
      WTH_RATE_LIMIT_BURST: "100000",
      WTH_WEBHOOK_WORKER: "0",
      WTH_WEBHOOK_CONCURRENCY: "16",
      WTH_WEBHOOK_LEASE_MS: "3000",
      WTH_WEBHOOK_TIMEOUT_MS: "1000",
      WTH_WEBHOOK_RETRY_SCHEDULE: "0,1,1,1,1,1,1,1",
      PORT: "0",
      HOST: "127.0.0.1",
    };
    const servers = [track(spawnWth(["serve"], env)), track(spawnWth(["serve"], env))];
    const workers = [track(spawnWth(["worker"], env)), track(spawnWth(["worker"], env))];
    const bases = await Promise.all(
      servers.map(async (s) => {
        const line = await s.waitForLine(/"msg":"listening"/, 90_000);
        return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
      }),
    );
    const workerIds = await Promise.all(
      workers.map(async (w) => {
        const line = await w.waitForLine(/webhook worker running/, 90_000);
        return (JSON.parse(line) as { worker: string }).worker;
      }),
    );
    const [victim, survivor] = [workers[0] as WthProcess, workerIds[1] as string];
    const victimId = workerIds[0] as string;

    const endpoint = await api(bases[0] as string, apiKey, "POST", "/v1/webhook_endpoints", {
      url: rx.url,
      enabled_events: ["*"],
    });
    expect(endpoint.status).toBe(201);

    // The stream: LANES requests in flight, alternating servers; a worker dies a third of the way.
    const t0 = Date.now();
    let next = 0;
    let created = 0;
    let killedAt = -1;
    const lane = async (n: number) => {
      const base = bases[n % 2] as string;
      while (next < TOTAL) {
        const i = next++;
        const res = await api(base, apiKey, "POST", "/v1/listings", {
          brand: "Grand Seiko",
          model: "Snowflake",
          reference_number: `SBGA211-${i}`,
          condition: "excellent",
          price: 480_000 + i,
          currency: "EUR",
        });
        expect(res.status).toBe(201);
        created++;
        if (killedAt < 0 && received.size >= TOTAL / 3) {
          killedAt = Date.now() - t0;
          victim.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, n) => lane(n)));
    const createdIn = Date.now() - t0;
    if (killedAt < 0) {
      // The workers lagged behind the API for the whole stream: kill mid-delivery instead.
      await waitFor("a third delivered", () => received.size >= TOTAL / 3, 300_000);
      killedAt = Date.now() - t0;
      victim.kill("SIGKILL");
    }
    await victim.exited;

    const events = await db
      .selectFrom("events")
      .select("id")
      .where("integration_id", "=", integration.id)
      .execute();
    expect(created).toBe(TOTAL);
    expect(events).toHaveLength(TOTAL);
    await waitFor("every event at the receiver", () => received.size >= TOTAL, 300_000);
    await waitFor(
      "every delivery settled",
      async () => {
        const open = await db
          .selectFrom("webhook_deliveries")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("status", "!=", "succeeded")
          .executeTakeFirstOrThrow();
        return Number(open.n) === 0;
      },
      120_000,
    );
    const deliveredIn = Date.now() - t0;
    for (const p of [...servers, workers[1] as WthProcess]) p.kill("SIGTERM");
    await Promise.all([...servers, workers[1] as WthProcess].map((p) => p.exited));

    const attempts = await db
      .selectFrom("webhook_attempts as a")
      .innerJoin("webhook_deliveries as d", "d.id", "a.delivery_id")
      .select(["d.event_id", "a.attempt_number", "a.worker_id", "a.completed_at"])
      .execute();
    const attemptsOf = new Map<string, typeof attempts>();
    for (const a of attempts) {
      const list = attemptsOf.get(a.event_id) ?? [];
      list.push(a);
      attemptsOf.set(a.event_id, list);
    }

    // Every event reached the receiver at least once.
    expect(events.filter((e) => !received.has(e.id))).toEqual([]);
    // No attempt was sent twice: the receiver never saw an event more often than attempts
    // were taken for it (each attempt number is taken once: webhook_attempts' primary key).
    const overSent = events.filter(
      (e) => (received.get(e.id) ?? 0) > (attemptsOf.get(e.id)?.length ?? 0),
    );
    expect(overSent.map((e) => e.id)).toEqual([]);
    // Only the killed worker left attempts unfinished, and the survivor took each one over.
    const unfinished = attempts.filter((a) => a.completed_at === null);
    expect(unfinished.filter((a) => a.worker_id !== victimId)).toEqual([]);
    for (const a of unfinished) {
      const later = (attemptsOf.get(a.event_id) ?? []).filter(
        (b) => b.attempt_number > a.attempt_number && b.completed_at !== null,
      );
      expect(later.map((b) => b.worker_id)).toContain(survivor);
    }

    const byWorker = Object.fromEntries(
      workerIds.map((id) => [id, attempts.filter((a) => a.worker_id === id).length]),
    );
    const duplicates = [...received.values()].reduce((sum, n) => sum + n - 1, 0);
    process.stdout.write(
      `multi-instance (${testBackend}): ${TOTAL} events through 2 servers in ${createdIn} ms, ` +
        `worker killed at ${killedAt} ms, all delivered at ${deliveredIn} ms; ` +
        `attempts per worker ${JSON.stringify(byWorker)}, ${unfinished.length} leases taken over, ` +
        `${duplicates} duplicate deliveries\n`,
    );
  }, 900_000);
});
