/**
 * Throttling: requests without a valid key are limited per client address before any key
 * lookup; authenticated responses carry the IETF RateLimit and RateLimit-Policy headers, and a
 * 429 carries Retry-After. The clock is injected, so refill is exact and nothing sleeps.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../server/deps.ts";
import { startTestServer, type TestServer } from "./harness.ts";

let now = Date.parse("2026-05-07T12:00:00Z");
const clock: Clock = { now: () => new Date(now) };

/** A GET from a chosen loopback address, so two "clients" can be told apart. */
function getFrom(
  srv: TestServer,
  localAddress: string,
  path: string,
  key?: string,
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { error?: { code: string } };
}> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${srv.baseUrl}${path}`,
      {
        method: "GET",
        localAddress,
        headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("throttling", () => {
  let srv: TestServer;
  let key: string;

  beforeAll(async () => {
    srv = await startTestServer({
      clock,
      settings: {
        rateLimit: { perSecond: 5, burst: 10 },
        authFailureLimit: { perSecond: 1, burst: 20 },
      },
    });
    key = (await srv.integration("test")).key;
  });
  afterAll(() => srv.close());

  it("when one address sends 300 bad keys, then 20 get 401 and the rest 429 rate_limited with Retry-After, even with a good key, while another address is unaffected", async () => {
    const statuses = new Map<number, number>();
    let last: Awaited<ReturnType<typeof getFrom>> | undefined;
    for (let i = 0; i < 300; i++) {
      const bad = i % 2 === 0 ? "wth_test_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" : undefined;
      last = await getFrom(srv, "127.0.0.3", "/v1/integration", bad);
      statuses.set(last.status, (statuses.get(last.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 20, 429: 280 });
    expect(last?.body.error?.code).toBe("rate_limited");
    expect(last?.headers["retry-after"]).toBe("1");
    // The throttle answers before the key is looked up: a good key from that address waits too.
    const good = await getFrom(srv, "127.0.0.3", "/v1/integration", key);
    expect(good.status).toBe(429);
    // Another client address is not affected.
    const other = await getFrom(srv, "127.0.0.4", "/v1/integration", key);
    expect(other.status).toBe(200);
    // One second later, one more attempt is allowed.
    now += 1_000;
    expect((await getFrom(srv, "127.0.0.3", "/v1/integration", key)).status).toBe(200);
    expect((await getFrom(srv, "127.0.0.3", "/v1/integration")).status).toBe(401);
    expect((await getFrom(srv, "127.0.0.3", "/v1/integration")).status).toBe(429);
  });

  it("when an integration sends requests, then each response carries RateLimit and RateLimit-Policy, and the 429 past the burst adds Retry-After", async () => {
    now += 60_000;
    const own = (await srv.integration("test", "Headers")).key;
    const remaining: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await getFrom(srv, "127.0.0.5", "/v1/integration", own);
      expect(res.status).toBe(200);
      expect(res.headers["ratelimit-policy"]).toBe('"integration";q=10;w=2');
      remaining.push(String(res.headers.ratelimit));
    }
    expect(remaining[0]).toBe('"integration";r=9;t=1');
    expect(remaining[9]).toBe('"integration";r=0;t=2');
    const limited = await getFrom(srv, "127.0.0.5", "/v1/integration", own);
    expect(limited.status).toBe(429);
    expect(limited.body.error?.code).toBe("rate_limited");
    expect(limited.headers["retry-after"]).toBe("1");
    expect(limited.headers.ratelimit).toBe('"integration";r=0;t=2');
    expect(limited.headers["ratelimit-policy"]).toBe('"integration";q=10;w=2');
  });
});
