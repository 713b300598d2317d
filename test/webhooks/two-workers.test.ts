import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock, systemRandom } from "../../server/deps.ts";
import { storeEvent } from "../../server/events/outbox.ts";
import { createIntegration } from "../../server/integrations.ts";
import { createEndpoint } from "../../server/webhooks/endpoints.ts";
import { SecretBox } from "../../server/webhooks/secret.ts";
import { fanOutEvents } from "../../server/webhooks/store.ts";
import type { WebhookDb } from "../../server/webhooks/tables.ts";
import { createTestDatabase } from "../support/database.ts";
import { eventObject, testId, waitFor } from "./harness.ts";
import { spawnWth, type WthProcess } from "./processes.ts";
import { startReceiver } from "./receiver.ts";

const BURST = 2_000;
const SECRET_KEY = "two-workers-secret-key-0123456789-abcdef";
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("several workers", () => {
  it("when two worker processes share one database, then a burst is delivered with no attempt sent twice", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-two-workers-"));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const received = new Map<string, number>();
    const rx = await startReceiver((req, res) => {
      const id = String(req.headers["webhook-id"]);
      received.set(id, (received.get(id) ?? 0) + 1);
      setTimeout(() => res.writeHead(204).end(), 5);
    });
    cleanups.push(() => rx.close());

    const database = await createTestDatabase({ dir: dataDir });
    cleanups.push(() => database.close());
    const { handle } = database;
    const db = handle.db as WebhookDb;
    const deps = { db: handle.db, clock: systemClock, random: systemRandom };
    const { integration } = await createIntegration(deps, {
      name: "two workers",
      mode: "test",
      apiVersion: "2026-05-07",
    });
    await createEndpoint(
      { ...deps, db, box: new SecretBox(SECRET_KEY, systemRandom), allowPrivate: true },
      integration,
      { url: rx.url, enabled_events: ["*"] },
    );

    const env = {
      ...database.env,
      WTH_SECRET_KEY: SECRET_KEY,
      WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
      WTH_WEBHOOK_CONCURRENCY: "32",
    };
    const workers: WthProcess[] = [spawnWth(["worker"], env), spawnWth(["worker"], env)];
    for (const w of workers) {
      cleanups.push(async () => {
        w.kill("SIGKILL");
        await w.exited;
      });
    }
    await Promise.all(workers.map((w) => w.waitForLine(/webhook worker running/)));

    // The burst, committed in chunks while both workers poll.
    for (let i = 0; i < BURST; i += 100) {
      await db.transaction().execute(async (trx) => {
        for (let j = i; j < i + 100; j++) {
          await storeEvent(
            trx,
            deps,
            integration.id,
            "listing.updated",
            eventObject("listing.updated", { id: testId("lst", j) }),
          );
        }
      });
    }
    await waitFor("every event at the receiver", () => received.size === BURST, 120_000);
    await waitFor(
      "every attempt recorded",
      async () => {
        const open = await db
          .selectFrom("webhook_deliveries")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("status", "!=", "succeeded")
          .executeTakeFirstOrThrow();
        return Number(open.n) === 0;
      },
      30_000,
    );
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));

    const sentTwice = [...received.entries()].filter(([, n]) => n > 1);
    const attempts = await db
      .selectFrom("webhook_attempts")
      .select(["worker_id", "attempt_number"])
      .execute();
    const byWorker = new Map<string, number>();
    for (const a of attempts) byWorker.set(a.worker_id, (byWorker.get(a.worker_id) ?? 0) + 1);
    process.stdout.write(
      `two workers: ${BURST} events, attempts per worker ${JSON.stringify(Object.fromEntries(byWorker))}, ` +
        `${sentTwice.length} received twice\n`,
    );
    expect(sentTwice).toEqual([]);
    expect(attempts).toHaveLength(BURST);
    expect(attempts.every((a) => a.attempt_number === 1)).toBe(true);
    expect(byWorker.size).toBe(2);
  }, 180_000);

  it("when a backlog of unleased deliveries and a burst fanned out to two endpoints meet two workers, then every delivery is sent once, as attempt 1", async () => {
    // Both ways a worker takes deliveries run at once: deliveries it creates leased from new
    // events, and due deliveries it claims — the backlog made here without a lease, and the
    // second endpoint's half of events fanned out by a worker that had room for only some.
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-two-workers-"));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const received = new Map<string, number>();
    const rx = await startReceiver((req, res) => {
      const key = `${req.path} ${String(req.headers["webhook-id"])}`;
      received.set(key, (received.get(key) ?? 0) + 1);
      setTimeout(() => res.writeHead(204).end(), 2);
    });
    cleanups.push(() => rx.close());

    const database = await createTestDatabase({ dir: dataDir });
    cleanups.push(() => database.close());
    const db = database.handle.db as WebhookDb;
    const deps = { db: database.handle.db, clock: systemClock, random: systemRandom };
    const { integration } = await createIntegration(deps, {
      name: "two workers, two endpoints",
      mode: "test",
      apiVersion: "2026-05-07",
    });
    for (const name of ["a", "b"]) {
      await createEndpoint(
        { ...deps, db, box: new SecretBox(SECRET_KEY, systemRandom), allowPrivate: true },
        integration,
        { url: `${rx.url}?ep=${name}`, enabled_events: ["*"] },
      );
    }
    const record = async (from: number, count: number) => {
      await db.transaction().execute(async (trx) => {
        for (let j = from; j < from + count; j++) {
          await storeEvent(
            trx,
            deps,
            integration.id,
            "listing.updated",
            eventObject("listing.updated", { id: testId("lst", j) }),
          );
        }
      });
    };
    const BACKLOG = 400;
    await record(0, BACKLOG);
    expect(await fanOutEvents(db, systemClock.now(), systemRandom, BACKLOG)).toBe(BACKLOG);

    const env = {
      ...database.env,
      WTH_SECRET_KEY: SECRET_KEY,
      WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
      WTH_WEBHOOK_CONCURRENCY: "16",
    };
    const workers: WthProcess[] = [spawnWth(["worker"], env), spawnWth(["worker"], env)];
    for (const w of workers) {
      cleanups.push(async () => {
        w.kill("SIGKILL");
        await w.exited;
      });
    }
    await Promise.all(workers.map((w) => w.waitForLine(/webhook worker running/)));
    const EVENTS = 1_000;
    for (let i = BACKLOG; i < EVENTS; i += 50) await record(i, 50);

    await waitFor("every delivery at the receiver", () => received.size === 2 * EVENTS, 120_000);
    await waitFor(
      "every attempt recorded",
      async () => {
        const open = await db
          .selectFrom("webhook_deliveries")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("status", "!=", "succeeded")
          .executeTakeFirstOrThrow();
        return Number(open.n) === 0;
      },
      30_000,
    );
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));

    const sentTwice = [...received.entries()].filter(([, n]) => n > 1);
    const attempts = await db
      .selectFrom("webhook_attempts")
      .select(["worker_id", "attempt_number", "completed_at"])
      .execute();
    const byWorker = new Map<string, number>();
    for (const a of attempts) byWorker.set(a.worker_id, (byWorker.get(a.worker_id) ?? 0) + 1);
    process.stdout.write(
      `two workers, two endpoints: ${EVENTS} events (${BACKLOG} as a backlog), attempts per worker ` +
        `${JSON.stringify(Object.fromEntries(byWorker))}, ${sentTwice.length} received twice\n`,
    );
    expect(sentTwice).toEqual([]);
    expect(attempts).toHaveLength(2 * EVENTS);
    expect(attempts.every((a) => a.attempt_number === 1 && a.completed_at !== null)).toBe(true);
    expect(byWorker.size).toBe(2);
  }, 180_000);
});
