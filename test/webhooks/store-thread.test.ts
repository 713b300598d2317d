import fs from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../server/deps.ts";
import type { PassInput } from "../../server/webhooks/store.ts";
import { StoreThread } from "../../server/webhooks/store-thread.ts";
import { seededRandom } from "./clock.ts";
import { type Harness, openHarness } from "./harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(): Promise<Harness> {
  const h = await openHarness(systemClock, seededRandom(7));
  cleanups.push(() => h.close());
  return h;
}

/** A logger whose lines the test reads. */
function recordingLogger() {
  const lines: Array<{ msg: string; err?: { message: string } }> = [];
  const logger = pino(
    { level: "error" },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  return { logger, lines };
}

function store(h: { location: Harness["location"] }, logger = pino({ level: "silent" })) {
  const s = new StoreThread(h.location, logger);
  cleanups.push(() => s.close());
  return s;
}

const pass = (over: Partial<PassInput> = {}): PassInput => ({
  workerId: "wkr_thread_test",
  now: Date.now(),
  leaseMs: 30_000,
  records: [],
  limit: 10,
  claimDue: true,
  checkBodies: true,
  ...over,
});

describe("the store thread", () => {
  it("when a worker's passes run on the thread, then events are fanned out leased with their bodies and finished attempts are recorded on the same database", async () => {
    const h = await harness();
    const integration = await h.integration();
    const endpoint = await h.endpoint(integration, "http://127.0.0.1:9/hooks");
    const eventId = await h.event(integration, "listing.created");
    const s = store(h);
    await s.ready();

    const taken = await s.pass(pass());
    expect(taken.fanned).toBe(1);
    expect(taken.claimed).toHaveLength(1);
    const [delivery] = taken.claimed;
    expect(delivery).toMatchObject({
      event_id: eventId,
      endpoint_id: endpoint.id,
      attempt_number: 1,
    });
    expect(JSON.parse(delivery?.body ?? "")).toMatchObject({
      id: eventId,
      type: "listing.created",
    });
    expect(taken.targets.map((t) => t.id)).toEqual([endpoint.id]);

    const at = new Date().toISOString();
    const recorded = await s.pass(
      pass({
        limit: 0,
        records: [
          {
            deliveryId: delivery?.id ?? "",
            attemptNumber: 1,
            attemptedAt: at,
            completedAt: at,
            statusCode: 204,
            durationMs: 3,
            error: null,
            snippet: null,
            next: { status: "succeeded", nextAttemptAt: null },
            disableEndpointId: null,
          },
        ],
      }),
    );
    expect(recorded.claimed).toEqual([]);
    const row = await h.db
      .selectFrom("webhook_deliveries")
      .select(["status", "lease_owner"])
      .where("id", "=", delivery?.id ?? "")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "succeeded", lease_owner: null });
    const attempts = await h.db
      .selectFrom("webhook_attempts")
      .select(["attempt_number", "worker_id", "status_code"])
      .where("delivery_id", "=", delivery?.id ?? "")
      .execute();
    expect(attempts).toEqual([
      { attempt_number: 1, worker_id: "wkr_thread_test", status_code: 204 },
    ]);
  });

  it("when it is closed with passes still waiting, then they finish before the thread ends", async () => {
    const h = await harness();
    const integration = await h.integration();
    await h.endpoint(integration, "http://127.0.0.1:9/hooks");
    for (let i = 0; i < 3; i++) await h.event(integration, "listing.updated");
    const s = store(h);
    const results = [
      s.pass(pass({ limit: 1 })),
      s.pass(pass({ limit: 1 })),
      s.pass(pass({ limit: 1 })),
    ];
    await s.close();
    const claimed = (await Promise.all(results)).flatMap((r) => r.claimed.map((c) => c.event_id));
    expect(new Set(claimed).size).toBe(3);
    await expect(s.pass(pass())).rejects.toThrow(/closed/);
  });

  it("when the thread cannot open the database, then each pass fails with the reason instead of hanging, and the next pass starts a new thread", async () => {
    const h = await harness();
    // A data directory that is a file: the thread's openDatabase throws.
    const file = path.join(h.dir, "not-a-directory");
    await fs.writeFile(file, "");
    const { logger, lines } = recordingLogger();
    const s = store({ location: { dataDir: file } }, logger);
    await s.ready();
    await expect(s.pass(pass())).rejects.toThrow(/store thread exited/);
    await expect(s.pass(pass())).rejects.toThrow(/store thread exited/);
    const failures = lines.filter((l) => l.msg === "webhook store thread failed");
    // The one started with the store, then one per pass after it died.
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]?.err?.message).toMatch(/ENOTDIR|EEXIST|not a directory/i);
  });
});
