/**
 * The idle worker: with a long idle poll, a write in the server's own process wakes it through
 * the in-process bell, so the event is delivered at once rather than after the poll; without
 * the bell (a worker in another process), the same event waits for the poll. And the back-off
 * itself, stepped through injected timers: while idle each sleep doubles from the poll period up
 * to WTH_WEBHOOK_IDLE_MAX_MS, and a wake brings it back to the poll period.
 */
import { afterEach, describe, expect, it } from "vitest";
import { systemClock, type Timers } from "../../server/deps.ts";
import { OutboxBell } from "../../server/events/outbox-bell.ts";
import { localPassStore } from "../../server/webhooks/store.ts";
import { DeliveryWorker } from "../../server/webhooks/worker.ts";
import { listingBody } from "../server/harness.ts";
import { type ApiServer, startApiServer } from "./api-harness.ts";
import { seededRandom } from "./clock.ts";
import { fastSettings, MASTER_KEY, openHarness, silentLogger, waitFor } from "./harness.ts";
import { type Receiver, startReceiver } from "./receiver.ts";

const LONG_POLL = { WTH_WEBHOOK_POLL_MS: "20000", WTH_WEBHOOK_IDLE_MAX_MS: "20000" };
let api: ApiServer | undefined;
let receiver: Receiver | undefined;

afterEach(async () => {
  await api?.close();
  await receiver?.close();
  api = undefined;
  receiver = undefined;
});

async function receivedWithin(ms: number, r: Receiver, count: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until && r.requests.length < count) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return r.requests.length >= count;
}

describe("idle worker wake-up", () => {
  it.each([
    [true, "is delivered at once"],
    [false, "waits for the idle poll"],
  ])(
    "when the bell is %s and a listing is created while the worker idles, then the event %s",
    async (bell) => {
      receiver = await startReceiver();
      api = await startApiServer({ env: LONG_POLL, bell });
      const { key } = await api.integration();
      const endpoint = await api.call(key, "POST", "/v1/webhook_endpoints", {
        url: receiver.url,
        enabled_events: ["listing.created"],
      });
      expect(endpoint.status).toBe(201);
      // The first event goes out on the worker's first pass (or the bell): the worker is up.
      expect((await api.call(key, "POST", "/v1/listings", listingBody())).status).toBe(201);
      expect(await receivedWithin(30_000, receiver, 1)).toBe(true);
      // Let it record that attempt and go to sleep for the long poll.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await api.call(key, "POST", "/v1/listings", listingBody())).status).toBe(201);
      expect(await receivedWithin(3_000, receiver, 2)).toBe(bell);
    },
    60_000,
  );
});

/** Timers the test fires by hand: the worker's sleeps are recorded and wait for `fire`. */
class SteppedTimers implements Timers {
  readonly requested: number[] = [];
  #pending: { fire: () => void } | null = null;

  set(ms: number, fire: () => void): () => void {
    this.requested.push(ms);
    const entry = { fire };
    this.#pending = entry;
    return () => {
      if (this.#pending === entry) this.#pending = null;
    };
  }

  /** Waits for the worker to go to sleep (bounded), then lets that sleep end. */
  async fireNext(): Promise<void> {
    await waitFor("the worker to sleep", () => this.#pending !== null);
    const entry = this.#pending;
    this.#pending = null;
    entry?.fire();
  }

  sleeping(): boolean {
    return this.#pending !== null;
  }
}

describe("idle back-off", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("when the worker finds nothing, then each sleep doubles up to the idle maximum, and a bell after a commit that recorded an event brings it back to the poll period at once", async () => {
    const h = await openHarness(systemClock, seededRandom(5));
    cleanups.push(() => h.close());
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const integration = await h.integration();
    await h.endpoint(integration, rx.url, ["listing.created"]);

    const timers = new SteppedTimers();
    const bell = new OutboxBell();
    const worker = new DeliveryWorker({
      store: localPassStore(h.db, h.random),
      clock: systemClock,
      random: h.random,
      logger: silentLogger,
      secretKey: MASTER_KEY,
      settings: fastSettings({ pollMs: 10, idleMaxMs: 160 }),
      bell,
      timers,
    });
    // Stopped before the harness closes the database; a pending sleep ends with the stop.
    cleanups.push(() => worker.stop());
    worker.start();

    for (let i = 0; i < 7; i++) await timers.fireNext();
    await waitFor("the eighth sleep", () => timers.sleeping());
    expect(timers.requested).toEqual([20, 40, 80, 160, 160, 160, 160, 160]);

    // A write in this process commits an event and rings: the sleep ends without its timer.
    const beforeWake = timers.requested.length;
    await h.event(integration, "listing.created");
    bell.ring();
    await waitFor("the delivery", () => rx.requests.length === 1);
    expect(rx.requests).toHaveLength(1);
    // Back to the poll period while the attempt is in flight (its end, not the timer, ends that
    // sleep), then doubling again from there while idle.
    for (let i = 0; i < 4; i++) await timers.fireNext();
    await waitFor("the next sleep", () => timers.sleeping());
    expect(timers.requested.slice(beforeWake)).toEqual([10, 20, 40, 80, 160, 160]);
  });
});
