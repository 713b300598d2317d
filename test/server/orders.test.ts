import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventTypes, listingAndCustomer, startTestServer, type TestServer } from "./harness.ts";

describe("orders", () => {
  let srv: TestServer;
  let key: string;
  let integrationId: string;

  beforeAll(async () => {
    srv = await startTestServer();
    ({ key, id: integrationId } = await srv.integration());
  });
  afterAll(() => srv.close());

  async function order(): Promise<{ id: string; listing: string; customer: string }> {
    const { listing, customer } = await listingAndCustomer(srv, key, { price: 123456 });
    const res = await srv.request("POST", "/v1/orders", {
      key,
      body: { listing, customer, metadata: { po: "7" } },
    });
    expect(res.status).toBe(201);
    return { id: res.body.id, listing, customer };
  }

  it("when an order is created for a published listing, then it is pending at the listing's price, the listing is sold, and both events are recorded", async () => {
    const { listing, customer } = await listingAndCustomer(srv, key, { price: 123456 });
    const before = (await eventTypes(srv, integrationId)).length;
    const res = await srv.request("POST", "/v1/orders", { key, body: { listing, customer } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: "order",
      listing,
      customer,
      amount: 123456,
      currency: "EUR",
      status: "pending",
      shipping: null,
      paid_at: null,
    });
    expect((await srv.request("GET", `/v1/listings/${listing}`, { key })).body.status).toBe("sold");
    expect((await eventTypes(srv, integrationId)).slice(before)).toEqual([
      "order.created",
      "listing.sold",
    ]);
    expect((await srv.request("GET", `/v1/orders/${res.body.id}`, { key })).body).toEqual(res.body);
  });

  it.each([
    ["draft", "listing_not_published"],
    ["archived", "listing_not_published"],
    ["sold", "listing_sold"],
  ])(
    "when an order is attempted for a %s listing, then 409 %s and nothing is written",
    async (state, code) => {
      const { listing, customer } = await listingAndCustomer(srv, key, {
        publish: state !== "draft",
      });
      if (state === "archived")
        await srv.request("POST", `/v1/listings/${listing}/archive`, { key });
      if (state === "sold")
        await srv.request("POST", "/v1/orders", { key, body: { listing, customer } });
      const orders = (await srv.db.selectFrom("orders").select("id").execute()).length;
      const events = (await eventTypes(srv, integrationId)).length;
      const res = await srv.request("POST", "/v1/orders", { key, body: { listing, customer } });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe(code);
      expect((await srv.db.selectFrom("orders").select("id").execute()).length).toBe(orders);
      expect((await eventTypes(srv, integrationId)).length).toBe(events);
    },
  );

  it.each([
    ["listing", { listing: "lst_000000000000000000000000" }],
    ["customer", { customer: "cus_000000000000000000000000" }],
  ])(
    "when the %s does not exist, then 404 resource_not_found naming it",
    async (param, override) => {
      const { listing, customer } = await listingAndCustomer(srv, key);
      const res = await srv.request("POST", "/v1/orders", {
        key,
        body: { listing, customer, ...override },
      });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: "resource_not_found", param });
      expect((await srv.request("GET", `/v1/listings/${listing}`, { key })).body.status).toBe(
        "published",
      );
    },
  );

  it("when twenty orders race for one listing, then exactly one wins and the rest get listing_sold", async () => {
    const { listing } = await listingAndCustomer(srv, key);
    const customers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        srv.request("POST", "/v1/customers", {
          key,
          body: { email: `c${i}@example.com`, name: `C${i}` },
        }),
      ),
    );
    const results = await Promise.all(
      customers.map((c) =>
        srv.request("POST", "/v1/orders", { key, body: { listing, customer: c.body.id } }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.error.code === "listing_sold"),
    ).toBe(true);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const rows = await srv.db
      .selectFrom("orders")
      .select("id")
      .where("listing_id", "=", listing)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it("when an order goes pending → paid → shipped → delivered, then each step stamps its time and records its event", async () => {
    const o = await order();
    const paid = await srv.request("POST", `/v1/test/orders/${o.id}/pay`, { key });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe("paid");
    expect(paid.body.paid_at).not.toBeNull();
    expect((await eventTypes(srv, integrationId)).at(-1)).toBe("order.paid");
    const shipped = await srv.request("POST", `/v1/orders/${o.id}/ship`, {
      key,
      body: { carrier: "DHL", tracking_number: "JD0123" },
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({
      status: "shipped",
      shipping: { carrier: "DHL", tracking_number: "JD0123" },
    });
    expect((await eventTypes(srv, integrationId)).at(-1)).toBe("order.shipped");
    const events = (await eventTypes(srv, integrationId)).length;
    const delivered = await srv.request("POST", `/v1/test/orders/${o.id}/deliver`, { key });
    expect(delivered.body.status).toBe("delivered");
    expect(delivered.body.delivered_at).not.toBeNull();
    expect((await eventTypes(srv, integrationId)).length).toBe(events);
  });

  it.each([["pending"], ["paid"]])(
    "when a %s order is cancelled, then it is cancelled, the listing is published again, and both events are recorded",
    async (state) => {
      const o = await order();
      if (state === "paid") await srv.request("POST", `/v1/test/orders/${o.id}/pay`, { key });
      const before = (await eventTypes(srv, integrationId)).length;
      const res = await srv.request("POST", `/v1/orders/${o.id}/cancel`, {
        key,
        body: { reason: "Buyer changed mind" },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: "cancelled",
        cancellation_reason: "Buyer changed mind",
      });
      expect(res.body.cancelled_at).not.toBeNull();
      expect((await srv.request("GET", `/v1/listings/${o.listing}`, { key })).body.status).toBe(
        "published",
      );
      expect((await eventTypes(srv, integrationId)).slice(before)).toEqual([
        "order.cancelled",
        "listing.published",
      ]);
    },
  );

  it("when a cancel has no body, then the reason is null", async () => {
    const o = await order();
    const res = await srv.request("POST", `/v1/orders/${o.id}/cancel`, { key });
    expect(res.status).toBe(200);
    expect(res.body.cancellation_reason).toBeNull();
  });

  it.each([
    ["ship", "pending", { carrier: "UPS", tracking_number: "1" }],
    ["ship", "cancelled", { carrier: "UPS", tracking_number: "1" }],
    ["cancel", "shipped", undefined],
    ["cancel", "cancelled", undefined],
    ["cancel", "delivered", undefined],
  ])(
    "when %s is called on a %s order, then 409 invalid_order_transition",
    async (action, state, body) => {
      const o = await order();
      if (state !== "pending" && state !== "cancelled")
        await srv.request("POST", `/v1/test/orders/${o.id}/pay`, { key });
      if (state === "shipped" || state === "delivered") {
        await srv.request("POST", `/v1/orders/${o.id}/ship`, {
          key,
          body: { carrier: "UPS", tracking_number: "1" },
        });
      }
      if (state === "delivered")
        await srv.request("POST", `/v1/test/orders/${o.id}/deliver`, { key });
      if (state === "cancelled") await srv.request("POST", `/v1/orders/${o.id}/cancel`, { key });
      const res = await srv.request("POST", `/v1/orders/${o.id}/${action}`, { key, body });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("invalid_order_transition");
      expect((await srv.request("GET", `/v1/orders/${o.id}`, { key })).body.status).toBe(state);
    },
  );

  it("when ship has no carrier, then 400 parameter_missing", async () => {
    const o = await order();
    const res = await srv.request("POST", `/v1/orders/${o.id}/ship`, {
      key,
      body: { tracking_number: "1" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "parameter_missing", param: "carrier" });
  });

  it.each([
    ["GET", ""],
    ["POST", "/ship"],
    ["POST", "/cancel"],
  ])(
    "when %s %s targets an unknown order, then 404 resource_not_found naming order_id",
    async (method, suffix) => {
      const res = await srv.request(method, `/v1/orders/ord_000000000000000000000000${suffix}`, {
        key,
        body: suffix === "/ship" ? { carrier: "A", tracking_number: "B" } : undefined,
      });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: "resource_not_found", param: "order_id" });
    },
  );

  it("when orders are filtered by status, customer and listing, then only matching ones are returned", async () => {
    const a = await order();
    const b = await order();
    await srv.request("POST", `/v1/test/orders/${b.id}/pay`, { key });
    const paid = await srv.request("GET", "/v1/orders?status=paid&limit=100", { key });
    const paidIds = paid.body.data.map((o: { id: string }) => o.id);
    expect(paidIds).toContain(b.id);
    expect(paidIds).not.toContain(a.id);
    const byCustomer = await srv.request("GET", `/v1/orders?customer=${a.customer}`, { key });
    expect(byCustomer.body.data.map((o: { id: string }) => o.id)).toEqual([a.id]);
    const byListing = await srv.request("GET", `/v1/orders?listing=${b.listing}`, { key });
    expect(byListing.body.data.map((o: { id: string }) => o.id)).toEqual([b.id]);
  });
});
