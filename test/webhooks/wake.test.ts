/**
 * The idle worker: with a long idle poll, a write in the server's own process wakes it through
 * the in-process bell, so the event is delivered at once rather than after the poll; without
 * the bell (a worker in another process), the same event waits for the poll.
 */
import { afterEach, describe, expect, it } from "vitest";
import { listingBody } from "../server/harness.ts";
import { type ApiServer, startApiServer } from "./api-harness.ts";
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
