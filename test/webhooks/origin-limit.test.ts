/**
 * A receiver that accepts connections and never answers must not take every slot of the worker:
 * each origin gets `inFlightPerOrigin` attempts in flight at most, and the deliveries it cannot
 * take yet stay due, untouched and in order, for when its attempts finish.
 */
import type http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../server/deps.ts";
import { seededRandom } from "./clock.ts";
import { type Harness, openHarness, waitFor } from "./harness.ts";
import { type Receiver, startReceiver } from "./receiver.ts";

const CAP = 4;
const SLOW_EVENTS = 40;
const HEALTHY_EVENTS = 10;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Holds every request open until `release`, then answers them all, and later ones, with 204. */
async function hangingReceiver(): Promise<Receiver & { release(): void }> {
  const held: http.ServerResponse[] = [];
  let released = false;
  const rx = await startReceiver((_req, res) => {
    if (released) res.writeHead(204).end();
    else held.push(res);
  });
  return {
    ...rx,
    release() {
      released = true;
      for (const res of held.splice(0)) res.writeHead(204).end();
    },
  };
}

describe("attempts in flight per origin", () => {
  it.each([1, 2])(
    "when %i worker(s) face an origin that never answers with a queue of deliveries, then a healthy origin still gets all of its deliveries, and the held queue is delivered in order once the origin answers",
    async (workers) => {
      const h: Harness = await openHarness(systemClock, seededRandom(17 + workers));
      cleanups.push(() => h.close());
      // Closed before the workers stop: an attempt still held then fails at once.
      const slow = await hangingReceiver();
      cleanups.push(() => slow.close());
      const healthy = await startReceiver();
      cleanups.push(() => healthy.close());

      const integration = await h.integration();
      const slowEndpoint = await h.endpoint(integration, slow.url, ["listing.created"]);
      const healthyEndpoint = await h.endpoint(integration, healthy.url, ["listing.updated"]);
      // The slow origin's events are the oldest: without a per-origin limit they fill every slot.
      for (let i = 0; i < SLOW_EVENTS; i++) await h.event(integration, "listing.created");
      for (let i = 0; i < HEALTHY_EVENTS; i++) await h.event(integration, "listing.updated");

      const settings = {
        concurrency: 2 * CAP,
        connectionsPerOrigin: CAP,
        inFlightPerOrigin: CAP,
        // Longer than the test: no attempt to the hanging origin ends by its deadline.
        timeoutMs: 120_000,
        leaseMs: 240_000,
      };
      for (let i = 0; i < workers; i++) h.worker(settings).start();

      await waitFor(
        "every healthy delivery",
        () => healthy.requests.length >= HEALTHY_EVENTS,
        30_000,
      );
      await waitFor("the hanging origin's slots", () => slow.requests.length >= workers * CAP);

      const deliveries = async (endpointId: string) =>
        h.db
          .selectFrom("webhook_deliveries")
          .select(["id", "event_id", "status", "attempt_count", "lease_owner", "seq"])
          .where("endpoint_id", "=", endpointId)
          .orderBy("seq")
          .execute();
      const healthyRows = await deliveries(healthyEndpoint.id);
      expect(healthyRows).toHaveLength(HEALTHY_EVENTS);
      await waitFor("the healthy deliveries recorded", async () =>
        (await deliveries(healthyEndpoint.id)).every((d) => d.status === "succeeded"),
      );
      // Each worker holds CAP attempts to the hanging origin, no more; the rest wait untouched.
      const held = await deliveries(slowEndpoint.id);
      expect(held).toHaveLength(SLOW_EVENTS);
      expect(held.filter((d) => d.lease_owner !== null)).toHaveLength(workers * CAP);
      expect(held.filter((d) => d.lease_owner === null && d.attempt_count === 0)).toHaveLength(
        SLOW_EVENTS - workers * CAP,
      );
      expect(held.every((d) => d.status === "pending")).toBe(true);
      expect(slow.requests).toHaveLength(workers * CAP);

      slow.release();
      await waitFor(
        "every held delivery",
        async () =>
          (await deliveries(slowEndpoint.id)).every((d) => d.status === "succeeded") &&
          slow.requests.length >= SLOW_EVENTS,
        30_000,
      );
      // Each delivered once, at its first attempt: none lost, none sent twice.
      const done = await deliveries(slowEndpoint.id);
      expect(done.map((d) => d.attempt_count)).toEqual(done.map(() => 1));
      const received = slow.requests.map((r) => String(r.headers["webhook-id"]));
      expect(new Set(received).size).toBe(SLOW_EVENTS);
      expect([...received].sort()).toEqual(done.map((d) => d.event_id).sort());
      if (workers === 1) {
        // Taken in the order they were queued (seq): with CAP in flight, a delivery arrives at
        // most CAP - 1 places from its place in the queue.
        const place = new Map(done.map((d, i) => [d.event_id, i]));
        const drift = received.map((id, i) => Math.abs(i - (place.get(id) ?? -SLOW_EVENTS)));
        expect(Math.max(...drift)).toBeLessThan(CAP);
      }
    },
    90_000,
  );
});
