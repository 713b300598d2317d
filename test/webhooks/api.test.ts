import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { startApiServer } from "./api-harness.ts";
import { waitFor } from "./harness.ts";
import { type Receiver, type Respond, startReceiver, status } from "./receiver.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: Parameters<typeof startApiServer>[0] = {}) {
  const srv = await startApiServer(opts);
  cleanups.push(() => srv.close());
  const { key } = await srv.integration();
  return { srv, key };
}
async function receiver(respond?: Respond): Promise<Receiver> {
  const r = await startReceiver(respond);
  cleanups.push(() => r.close());
  return r;
}
const listing = {
  brand: "Omega",
  model: "Speedmaster",
  reference_number: "310.30.42.50.01.001",
  condition: "excellent",
  price: 650_000,
  currency: "EUR",
};
function headersOf(req: { headers: Record<string, unknown> }): Record<string, string> {
  return {
    "webhook-id": String(req.headers["webhook-id"]),
    "webhook-timestamp": String(req.headers["webhook-timestamp"]),
    "webhook-signature": String(req.headers["webhook-signature"]),
  };
}

describe("webhook endpoints API", () => {
  it("when an endpoint is registered and a listing changes, then a Standard-Webhooks-verifiable delivery arrives and is listed", async () => {
    const { srv, key } = await setup();
    const rx = await receiver();
    const created = await srv.call(key, "POST", "/v1/webhook_endpoints", {
      url: rx.url,
      enabled_events: ["listing.created", "listing.updated"],
      description: "local receiver",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: "webhook_endpoint",
      url: rx.url,
      enabled_events: ["listing.created", "listing.updated"],
      status: "enabled",
      disabled_reason: null,
      api_version: "2026-05-07",
    });
    expect(created.body.secret).toMatch(/^whsec_/);
    const retrieved = await srv.call(key, "GET", `/v1/webhook_endpoints/${created.body.id}`);
    expect(retrieved.body.secret).toBeUndefined();

    const lst = await srv.call(key, "POST", "/v1/listings", listing);
    expect(lst.status).toBe(201);
    await waitFor("the delivery", () => rx.requests.length === 1);
    const req = rx.requests[0];
    if (req === undefined) throw new Error("no request");
    const event = new Webhook(created.body.secret).verify(req.body, headersOf(req)) as Record<
      string,
      unknown
    >;
    expect(event).toMatchObject({
      object: "event",
      type: "listing.created",
      api_version: "2026-05-07",
      data: { object: { id: lst.body.id, object: "listing", brand: "Omega" } },
    });

    await waitFor("the delivery to be recorded as succeeded", async () => {
      const list = await srv.call(
        key,
        "GET",
        `/v1/webhook_endpoints/${created.body.id}/deliveries`,
      );
      return list.body.data[0]?.status === "succeeded";
    });
    const list = await srv.call(key, "GET", `/v1/webhook_endpoints/${created.body.id}/deliveries`);
    expect(list.status).toBe(200);
    const delivery = list.body.data[0];
    expect(delivery).toMatchObject({
      object: "webhook_delivery",
      event: event.id,
      event_type: "listing.created",
      webhook_endpoint: created.body.id,
      status: "succeeded",
      attempt_count: 1,
      next_attempt_at: null,
      attempts: [{ status_code: 204, error: null, response_snippet: null }],
    });
    const one = await srv.call(key, "GET", `/v1/webhook_deliveries/${delivery.id}`);
    expect(one.body).toEqual(delivery);
    const byEvent = await srv.call(key, "GET", `/v1/events/${event.id}/deliveries`);
    expect(byEvent.body.data.map((d: { id: string }) => d.id)).toEqual([delivery.id]);
  });

  it.each([
    [
      "an ftp URL",
      422,
      "webhook_url_invalid",
      { url: "ftp://example.com/h", enabled_events: ["*"] },
    ],
    [
      "credentials in the URL",
      422,
      "webhook_url_invalid",
      { url: "https://u:p@example.com/h", enabled_events: ["*"] },
    ],
    [
      "an unknown event type",
      400,
      "parameter_invalid",
      { url: "https://example.com/h", enabled_events: ["listing.exploded"] },
    ],
    ["no enabled_events", 400, "parameter_missing", { url: "https://example.com/h" }],
  ] as const)("when created with %s, then %i %s", async (_label, statusCode, code, body) => {
    const { srv, key } = await setup();
    const res = await srv.call(key, "POST", "/v1/webhook_endpoints", body);
    expect(res.status).toBe(statusCode);
    expect(res.body.error.code).toBe(code);
  });

  it("when private URLs are not allowed, then a loopback URL is refused with webhook_url_not_allowed", async () => {
    const { srv, key } = await setup({ allowPrivate: false });
    const res = await srv.call(key, "POST", "/v1/webhook_endpoints", {
      url: "https://127.0.0.1:8443/hooks",
      enabled_events: ["*"],
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "webhook_url_not_allowed", param: "url" });
  });

  it("when a live-mode integration registers an http URL, then it is refused with webhook_url_invalid", async () => {
    const { srv } = await setup();
    const { key } = await srv.integration("live");
    const res = await srv.call(key, "POST", "/v1/webhook_endpoints", {
      url: "http://127.0.0.1:9/hooks",
      enabled_events: ["*"],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("webhook_url_invalid");
  });

  it("when an endpoint is updated, disabled, listed and deleted, then each step is reflected", async () => {
    const { srv, key } = await setup();
    const rx = await receiver();
    const ep = (
      await srv.call(key, "POST", "/v1/webhook_endpoints", { url: rx.url, enabled_events: ["*"] })
    ).body;
    const patched = await srv.call(key, "PATCH", `/v1/webhook_endpoints/${ep.id}`, {
      enabled_events: ["order.paid"],
      description: "orders only",
      status: "disabled",
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      enabled_events: ["order.paid"],
      description: "orders only",
      status: "disabled",
      disabled_reason: "manual",
    });
    const list = await srv.call(key, "GET", "/v1/webhook_endpoints");
    expect(list.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([ep.id]);

    const enabled = await srv.call(key, "PATCH", `/v1/webhook_endpoints/${ep.id}`, {
      status: "enabled",
    });
    expect(enabled.body).toMatchObject({ status: "enabled", disabled_reason: null });

    const deleted = await srv.call(key, "DELETE", `/v1/webhook_endpoints/${ep.id}`);
    expect(deleted.body).toEqual({ id: ep.id, object: "webhook_endpoint", deleted: true });
    const gone = await srv.call(key, "GET", `/v1/webhook_endpoints/${ep.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("resource_not_found");
  });

  it("when another integration asks for an endpoint, then it is not found", async () => {
    const { srv, key } = await setup();
    const other = await srv.integration();
    const ep = (
      await srv.call(key, "POST", "/v1/webhook_endpoints", {
        url: "http://127.0.0.1:9/h",
        enabled_events: ["*"],
      })
    ).body;
    const res = await srv.call(other.key, "GET", `/v1/webhook_endpoints/${ep.id}`);
    expect(res.status).toBe(404);
  });

  it("when the secret is rotated, then the new secret is shown once and both secrets verify deliveries during the overlap", async () => {
    const { srv, key } = await setup();
    const rx = await receiver();
    const ep = (
      await srv.call(key, "POST", "/v1/webhook_endpoints", { url: rx.url, enabled_events: ["*"] })
    ).body;
    const rotated = await srv.call(key, "POST", `/v1/webhook_endpoints/${ep.id}/rotate_secret`, {
      expire_current_secret_in_seconds: 600,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(ep.secret);
    await srv.call(key, "POST", "/v1/test/events", { type: "order.shipped" });
    await waitFor("the delivery", () => rx.requests.length === 1);
    const req = rx.requests[0];
    if (req === undefined) throw new Error("no request");
    expect(() => new Webhook(ep.secret).verify(req.body, headersOf(req))).not.toThrow();
    expect(() => new Webhook(rotated.body.secret).verify(req.body, headersOf(req))).not.toThrow();
  });
});

describe("replay and dead letters API", () => {
  it("when a delivery is dead-lettered, then it is listed, recovered by the API and delivered; a replay sends the same bytes again", async () => {
    const { srv, key } = await setup();
    let healthy = false;
    const rx = await receiver((_req, res) => {
      res.writeHead(healthy ? 200 : 500).end(healthy ? "ok" : "down");
    });
    const ep = (
      await srv.call(key, "POST", "/v1/webhook_endpoints", { url: rx.url, enabled_events: ["*"] })
    ).body;
    const event = (await srv.call(key, "POST", "/v1/test/events", { type: "listing.sold" })).body;
    await waitFor("a dead letter", async () => {
      const dl = await srv.call(key, "GET", `/v1/webhook_endpoints/${ep.id}/dead_letters`);
      return dl.body.data.length === 1;
    });
    const dead = (await srv.call(key, "GET", `/v1/webhook_endpoints/${ep.id}/dead_letters`)).body
      .data[0];
    expect(dead).toMatchObject({
      status: "dead_lettered",
      attempt_count: 3,
      next_attempt_at: null,
    });
    expect(dead.attempts.map((a: { error: string }) => a.error)).toEqual([
      "http_status",
      "http_status",
      "http_status",
    ]);

    healthy = true;
    const sentBefore = rx.requests.length;
    const recovery = await srv.call(
      key,
      "POST",
      `/v1/webhook_endpoints/${ep.id}/dead_letters/recover`,
      {},
    );
    expect(recovery.status).toBe(200);
    expect(recovery.body).toEqual({
      object: "dead_letter_recovery",
      webhook_endpoint: ep.id,
      recovered: 1,
      deliveries: [dead.id],
    });
    await waitFor("the recovered delivery", async () => {
      const d = await srv.call(key, "GET", `/v1/webhook_deliveries/${dead.id}`);
      return d.body.status === "succeeded";
    });
    expect(rx.requests).toHaveLength(sentBefore + 1);

    const replay = await srv.call(key, "POST", `/v1/events/${event.id}/replay`, {
      webhook_endpoint: ep.id,
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({
      object: "webhook_delivery",
      event: event.id,
      status: "pending",
      attempt_count: 0,
    });
    await waitFor("the replay", () => rx.requests.length === sentBefore + 2);
    const first = rx.requests[0];
    const replayed = rx.requests.at(-1);
    expect(replayed?.body).toBe(first?.body);
    expect(replayed?.headers["webhook-id"]).toBe(event.id);
    expect(() =>
      new Webhook(ep.secret).verify(replayed?.body ?? "", headersOf(replayed ?? { headers: {} })),
    ).not.toThrow();
  });

  it("when recovering since a time, then only dead letters from then on are re-queued", async () => {
    const { srv, key } = await setup();
    const rx = await receiver(status(500));
    const ep = (
      await srv.call(key, "POST", "/v1/webhook_endpoints", { url: rx.url, enabled_events: ["*"] })
    ).body;
    await srv.call(key, "POST", "/v1/test/events", { type: "listing.created" });
    await waitFor("first dead letter", async () => {
      return (
        (await srv.call(key, "GET", `/v1/webhook_endpoints/${ep.id}/dead_letters`)).body.data
          .length === 1
      );
    });
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await srv.call(key, "POST", "/v1/test/events", { type: "listing.updated" });
    await waitFor("second dead letter", async () => {
      return (
        (await srv.call(key, "GET", `/v1/webhook_endpoints/${ep.id}/dead_letters`)).body.data
          .length === 2
      );
    });
    const [newest] = (await srv.call(key, "GET", `/v1/webhook_endpoints/${ep.id}/dead_letters`))
      .body.data;
    const recovery = await srv.call(
      key,
      "POST",
      `/v1/webhook_endpoints/${ep.id}/dead_letters/recover`,
      { since },
    );
    expect(recovery.body).toMatchObject({ recovered: 1, deliveries: [newest.id] });
  });

  it("when replaying to a disabled endpoint, then 409 webhook_endpoint_disabled", async () => {
    const { srv, key } = await setup();
    const ep = (
      await srv.call(key, "POST", "/v1/webhook_endpoints", {
        url: "http://127.0.0.1:9/h",
        enabled_events: ["*"],
      })
    ).body;
    await srv.call(key, "PATCH", `/v1/webhook_endpoints/${ep.id}`, { status: "disabled" });
    const event = (await srv.call(key, "POST", "/v1/test/events", { type: "order.created" })).body;
    const res = await srv.call(key, "POST", `/v1/events/${event.id}/replay`, {
      webhook_endpoint: ep.id,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("webhook_endpoint_disabled");
    const recover = await srv.call(
      key,
      "POST",
      `/v1/webhook_endpoints/${ep.id}/dead_letters/recover`,
      {},
    );
    expect(recover.status).toBe(409);
  });

  it("when the receiver answers 410, then the endpoint reads disabled with reason endpoint_gone", async () => {
    const { srv, key } = await setup();
    const rx = await receiver(status(410));
    const ep = (
      await srv.call(key, "POST", "/v1/webhook_endpoints", { url: rx.url, enabled_events: ["*"] })
    ).body;
    await srv.call(key, "POST", "/v1/test/events", { type: "customer.updated" });
    await waitFor("the endpoint to be disabled", async () => {
      return (
        (await srv.call(key, "GET", `/v1/webhook_endpoints/${ep.id}`)).body.status === "disabled"
      );
    });
    const got = await srv.call(key, "GET", `/v1/webhook_endpoints/${ep.id}`);
    expect(got.body.disabled_reason).toBe("endpoint_gone");
  });

  it("when test data is reset, then the integration's endpoints are deleted and counted", async () => {
    const { srv, key } = await setup();
    await srv.call(key, "POST", "/v1/webhook_endpoints", {
      url: "http://127.0.0.1:9/a",
      enabled_events: ["*"],
    });
    await srv.call(key, "POST", "/v1/webhook_endpoints", {
      url: "http://127.0.0.1:9/b",
      enabled_events: ["*"],
    });
    const reset = await srv.call(key, "POST", "/v1/test/reset", {});
    expect(reset.body.deleted.webhook_endpoints).toBe(2);
    expect((await srv.call(key, "GET", "/v1/webhook_endpoints")).body.data).toEqual([]);
  });
});

describe("secrets in stored idempotent responses", () => {
  it("when an endpoint is created with an Idempotency-Key, then the replay shows the same secret and the stored response does not contain it", async () => {
    const { srv, key } = await setup();
    const rx = await receiver();
    const create = () =>
      fetch(`${srv.baseUrl}/v1/webhook_endpoints`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "idempotency-key": "create-endpoint-once",
        },
        body: JSON.stringify({ url: rx.url, enabled_events: ["*"] }),
      });
    const first = await create();
    const created = (await first.json()) as { id: string; secret: string };
    const replay = await create();
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual(created);

    const stored = await srv.db
      .selectFrom("idempotency_keys")
      .select("response_body")
      .where("key", "=", "create-endpoint-once")
      .executeTakeFirstOrThrow();
    expect(stored.response_body).not.toBeNull();
    expect(stored.response_body).not.toContain(created.secret.slice("whsec_".length));
    expect(stored.response_body).not.toContain(created.id);
  });
});
