import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../server/events/outbox.ts";
import { listingAndCustomer, listingBody, startTestServer, type TestServer } from "./harness.ts";

describe("events", () => {
  let srv: TestServer;
  let key: string;

  beforeAll(async () => {
    srv = await startTestServer();
    ({ key } = await srv.integration());
  });
  afterAll(() => srv.close());

  it("when a change happens, then its event is listable and retrievable with the documented envelope", async () => {
    const created = await srv.request("POST", "/v1/listings", { key, body: listingBody() });
    const list = await srv.request("GET", "/v1/events?limit=1", { key });
    expect(list.status).toBe(200);
    const event = list.body.data[0];
    expect(event).toMatchObject({
      object: "event",
      type: "listing.created",
      api_version: "2026-05-07",
      data: { object: created.body },
    });
    expect(event.id).toMatch(/^evt_[0-9A-Za-z]{24}$/);
    const got = await srv.request("GET", `/v1/events/${event.id}`, { key });
    expect(got.body).toEqual(event);
  });

  it("when events are filtered by type, then only that type is returned", async () => {
    await listingAndCustomer(srv, key);
    const res = await srv.request("GET", "/v1/events?type=customer.created&limit=100", { key });
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((e: { type: string }) => e.type === "customer.created")).toBe(true);
  });

  it("when an event id is unknown, then 404 resource_not_found naming event_id", async () => {
    const res = await srv.request("GET", "/v1/events/evt_000000000000000000000000", { key });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "resource_not_found", param: "event_id" });
  });

  it("when a change fails, then no event is written for it (same transaction)", async () => {
    const { listing } = await listingAndCustomer(srv, key, { publish: false });
    await srv.request("POST", `/v1/listings/${listing}/archive`, { key });
    const count = async () => (await srv.db.selectFrom("events").select("id").execute()).length;
    const before = await count();
    const res = await srv.request("PATCH", `/v1/listings/${listing}`, { key, body: { price: 2 } });
    expect(res.status).toBe(409);
    expect(await count()).toBe(before);
  });
});

describe("test utilities", () => {
  let srv: TestServer;
  let test: { id: string; key: string };
  let live: { id: string; key: string };

  beforeAll(async () => {
    srv = await startTestServer();
    test = await srv.integration("test");
    live = await srv.integration("live");
  });
  afterAll(() => srv.close());

  it.each(EVENT_TYPES.map((t) => [t]))(
    "when a %s test event is triggered, then a 201 event with a marked sample object is stored",
    async (type) => {
      const res = await srv.request("POST", "/v1/test/events", { key: test.key, body: { type } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ object: "event", type, api_version: "2026-05-07" });
      expect(res.body.data.object.metadata.test_event).toBe("true");
      expect(res.body.data.object.object).toBe(type.split(".")[0]);
      const stored = await srv.request("GET", `/v1/events/${res.body.id}`, { key: test.key });
      expect(stored.body).toEqual(res.body);
    },
  );

  it("when an unknown event type is triggered, then 400 parameter_invalid on type", async () => {
    const res = await srv.request("POST", "/v1/test/events", {
      key: test.key,
      body: { type: "order.lost" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "parameter_invalid", param: "type" });
  });

  it.each([
    ["POST", "/v1/test/events", { type: "listing.created" }],
    ["POST", "/v1/test/orders/ord_000000000000000000000000/pay", undefined],
    ["POST", "/v1/test/orders/ord_000000000000000000000000/deliver", undefined],
    ["POST", "/v1/test/reset", undefined],
  ])(
    "when a live key calls %s %s, then 403 test_mode_only and nothing happens",
    async (method, url, body) => {
      const { listing } = await listingAndCustomer(srv, live.key);
      const res = await srv.request(method, url, { key: live.key, body });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("test_mode_only");
      expect((await srv.request("GET", `/v1/listings/${listing}`, { key: live.key })).status).toBe(
        200,
      );
    },
  );

  it.each([["pay"], ["deliver"]])(
    "when %s targets an unknown order, then 404 resource_not_found",
    async (action) => {
      const res = await srv.request(
        "POST",
        `/v1/test/orders/ord_000000000000000000000000/${action}`,
        { key: test.key },
      );
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: "resource_not_found", param: "order_id" });
    },
  );

  it.each([
    ["pay", "a paid"],
    ["deliver", "a pending"],
  ])("when %s is called on %s order, then 409 invalid_order_transition", async (action) => {
    const { listing, customer } = await listingAndCustomer(srv, test.key);
    const order = await srv.request("POST", "/v1/orders", {
      key: test.key,
      body: { listing, customer },
    });
    if (action === "pay")
      await srv.request("POST", `/v1/test/orders/${order.body.id}/pay`, { key: test.key });
    const res = await srv.request("POST", `/v1/test/orders/${order.body.id}/${action}`, {
      key: test.key,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("invalid_order_transition");
  });

  it("when test data is reset, then the integration's objects are deleted and counted, and other integrations keep theirs", async () => {
    const own = await srv.integration("test");
    const other = await srv.integration("test");
    const { listing, customer } = await listingAndCustomer(srv, own.key);
    await srv.request("POST", "/v1/orders", { key: own.key, body: { listing, customer } });
    const kept = await listingAndCustomer(srv, other.key);
    const res = await srv.request("POST", "/v1/test/reset", { key: own.key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      object: "test_reset",
      deleted: { listings: 1, customers: 1, orders: 1, events: 5, webhook_endpoints: 0 },
    });
    expect((await srv.request("GET", "/v1/listings", { key: own.key })).body.data).toEqual([]);
    expect((await srv.request("GET", "/v1/events", { key: own.key })).body.data).toEqual([]);
    expect(
      (await srv.request("GET", `/v1/listings/${kept.listing}`, { key: other.key })).status,
    ).toBe(200);
  });
});
