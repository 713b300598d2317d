import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEmptyTestDatabase } from "../support/database.ts";
import { waitFor } from "./harness.ts";
import { api, startServe, type WthProcess } from "./processes.ts";
import { type Receiver, startReceiver } from "./receiver.ts";

const TOTAL_CHANGES = 2_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function stopOnCleanup(proc: WthProcess): void {
  cleanups.push(async () => {
    proc.kill("SIGKILL");
    await proc.exited;
  });
}

const listing = (i: number) => ({
  brand: "Tudor",
  model: "Black Bay",
  reference_number: `M79230N-${i}`,
  condition: "unworn",
  price: 350_000 + i,
  currency: "EUR",
});

/** Creates listings with a few requests in flight until `stop()` says so; counts 201s. */
async function createListings(
  baseUrl: string,
  key: string,
  from: number,
  until: number,
  stop: () => boolean,
): Promise<number> {
  let next = from;
  let created = 0;
  const lane = async () => {
    while (next < until && !stop()) {
      const i = next++;
      try {
        const res = await api(baseUrl, key, "POST", "/v1/listings", listing(i));
        if (res.status === 201) created++;
      } catch {
        return; // the server died under us
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return created;
}

describe("crash safety", () => {
  it("when the server is SIGKILLed mid-stream of 2,000 changes and restarted, then the receiver eventually holds every event id", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-crash-"));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const database = await createEmptyTestDatabase({ dir: dataDir });
    cleanups.push(() => database.close());
    const received = new Map<string, number>();
    // Slowed down: every answer takes 25 ms, so a backlog builds up behind the worker.
    const rx: Receiver = await startReceiver((req, res) => {
      const id = String(req.headers["webhook-id"]);
      setTimeout(() => {
        received.set(id, (received.get(id) ?? 0) + 1);
        res.writeHead(204).end();
      }, 25);
    });
    cleanups.push(() => rx.close());
    const env = {
      ...database.env,
      WTH_SECRET_KEY: "crash-test-secret-key-0123456789-abcdef",
      WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
      WTH_WEBHOOK_RETRY_SCHEDULE: "0,1,1,1,1,1,1,1",
      WTH_WEBHOOK_LEASE_MS: "3000",
      WTH_WEBHOOK_TIMEOUT_MS: "1000",
      WTH_WEBHOOK_CONCURRENCY: "8",
      WTH_RATE_LIMIT_PER_SECOND: "100000",
      WTH_RATE_LIMIT_BURST: "100000",
    };

    const t0 = Date.now();
    const mark = (what: string) =>
      process.stdout.write(`crash test: ${what} at ${Date.now() - t0} ms\n`);
    const first = await startServe(env);
    mark("first server up");
    stopOnCleanup(first.proc);
    const key = first.demoKey;
    if (key === undefined) throw new Error("the first start printed no demo key");
    const ep = await api(first.baseUrl, key, "POST", "/v1/webhook_endpoints", {
      url: rx.url,
      enabled_events: ["*"],
    });
    expect(ep.status).toBe(201);

    // Kill the server once a few hundred changes are in and deliveries are flowing.
    let killed = false;
    const killer = (async () => {
      await waitFor("deliveries to flow", () => received.size >= 100, 60_000);
      await new Promise((r) => setTimeout(r, 200));
      first.proc.kill("SIGKILL");
      killed = true;
    })();
    const createdBefore = await createListings(first.baseUrl, key, 0, TOTAL_CHANGES, () => killed);
    await killer;
    await first.proc.exited;
    mark("killed");
    expect(createdBefore).toBeLessThan(TOTAL_CHANGES);

    const second = await startServe(env);
    stopOnCleanup(second.proc);
    mark("second server up");
    const eventsNow = await listAllEventIds(second.baseUrl, key);
    const createdAfter = await createListings(
      second.baseUrl,
      key,
      0,
      TOTAL_CHANGES - eventsNow.length,
      () => false,
    );
    const allEvents = await listAllEventIds(second.baseUrl, key);
    mark("all changes made");
    expect(allEvents.length).toBeGreaterThanOrEqual(TOTAL_CHANGES);
    expect(allEvents.length).toBe(eventsNow.length + createdAfter);

    await waitFor(
      "every event at the receiver",
      () => allEvents.every((id) => received.has(id)),
      120_000,
    );
    const duplicates = [...received.values()].reduce((sum, n) => sum + (n - 1), 0);
    process.stdout.write(
      `crash test: ${allEvents.length} events (${createdBefore} acknowledged before SIGKILL), ` +
        `${received.size} distinct ids received, ${duplicates} duplicate deliveries\n`,
    );
    expect(allEvents.filter((id) => !received.has(id))).toEqual([]);
  }, 240_000);
});

async function listAllEventIds(baseUrl: string, key: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "" : `&starting_after=${encodeURIComponent(cursor)}`;
    const page = await api(baseUrl, key, "GET", `/v1/events?limit=100${query}`);
    if (page.status !== 200) throw new Error(`listing events: ${JSON.stringify(page.body)}`);
    for (const e of page.body.data as Array<{ id: string }>) ids.push(e.id);
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return ids;
}
