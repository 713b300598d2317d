import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listingAndCustomer, startTestServer, type TestServer } from "./harness.ts";

/** A minimal valid body for each operation that takes one. */
const BODIES: Record<string, unknown> = {
  updateListing: { price: 5 },
  updateCustomer: { name: "Mallory" },
  shipOrder: { carrier: "DHL", tracking_number: "X1" },
  cancelOrder: { reason: "not mine" },
};

interface Op {
  operationId: string;
  method: string;
  template: string;
}

describe("tenant isolation", () => {
  let srv: TestServer;
  let mine: { id: string; key: string };
  let theirs: { id: string; key: string };
  const foreign: Record<string, string> = {};
  const unknown: Record<string, string> = {
    listing_id: "lst_000000000000000000000000",
    customer_id: "cus_000000000000000000000000",
    order_id: "ord_000000000000000000000000",
    event_id: "evt_000000000000000000000000",
  };
  const ops: Op[] = [];
  let snapshot: unknown;

  const theirState = async () => ({
    listings: await srv.db
      .selectFrom("listings")
      .selectAll()
      .where("integration_id", "=", theirs.id)
      .orderBy("seq")
      .execute(),
    customers: await srv.db
      .selectFrom("customers")
      .selectAll()
      .where("integration_id", "=", theirs.id)
      .orderBy("seq")
      .execute(),
    orders: await srv.db
      .selectFrom("orders")
      .selectAll()
      .where("integration_id", "=", theirs.id)
      .orderBy("seq")
      .execute(),
    events: (
      await srv.db
        .selectFrom("events")
        .select("id")
        .where("integration_id", "=", theirs.id)
        .execute()
    ).length,
  });

  beforeAll(async () => {
    srv = await startTestServer();
    mine = await srv.integration("test", "Mine");
    theirs = await srv.integration("test", "Theirs");
    await listingAndCustomer(srv, mine.key);
    const { listing, customer } = await listingAndCustomer(srv, theirs.key);
    const other = await listingAndCustomer(srv, theirs.key);
    const order = await srv.request("POST", "/v1/orders", {
      key: theirs.key,
      body: { listing, customer },
    });
    await srv.request("POST", `/v1/test/orders/${order.body.id}/pay`, { key: theirs.key });
    const event = await srv.request("GET", "/v1/events?limit=1", { key: theirs.key });
    Object.assign(foreign, {
      listing_id: other.listing,
      customer_id: customer,
      order_id: order.body.id,
      event_id: event.body.data[0].id,
    });
    snapshot = await theirState();

    const doc = srv.deps.versions.document(srv.deps.versions.newest) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    for (const [template, item] of Object.entries(doc.paths)) {
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
      // Webhook endpoint and delivery IDs are the webhooks part's; its own tests cover them.
      if (names.length === 0 || !names.every((n) => n in unknown)) continue;
      for (const [method, op] of Object.entries(item)) {
        if (method === "parameters" || op.operationId === undefined) continue;
        if (op.operationId === "listEventDeliveries" || op.operationId === "replayEvent") continue;
        ops.push({ operationId: op.operationId, method: method.toUpperCase(), template });
      }
    }
  });
  afterAll(() => srv.close());

  it("when the document is read, then every operation on listings, customers, orders and events is in the table", () => {
    expect(ops.map((o) => o.operationId).sort()).toEqual(
      [
        "archiveListing",
        "cancelOrder",
        "deliverTestOrder",
        "payTestOrder",
        "publishListing",
        "retrieveCustomer",
        "retrieveEvent",
        "retrieveListing",
        "retrieveOrder",
        "shipOrder",
        "updateCustomer",
        "updateListing",
      ].sort(),
    );
  });

  it("when every operation is called with another integration's ID, then each answers exactly like an unknown ID and nothing of theirs changes", async () => {
    for (const op of ops) {
      const fill = (values: Record<string, string>) =>
        op.template.replace(/\{([^}]+)\}/g, (_m, n: string) => values[n] ?? "");
      const body = BODIES[op.operationId];
      const asForeign = await srv.request(op.method, fill(foreign), { key: mine.key, body });
      const asUnknown = await srv.request(op.method, fill(unknown), { key: mine.key, body });
      expect({ op: op.operationId, status: asForeign.status }).toEqual({
        op: op.operationId,
        status: 404,
      });
      expect(asForeign.body.error.code).toBe("resource_not_found");
      expect(asForeign.body.error.param).toBe(asUnknown.body.error.param);
      expect(asForeign.status).toBe(asUnknown.status);
      // The message names the ID asked for; apart from that the answers are the same.
      const foreignId =
        Object.values(foreign).find((id) => asForeign.body.error.message.includes(id)) ?? "";
      const unknownId =
        Object.values(unknown).find((id) => asUnknown.body.error.message.includes(id)) ?? "";
      expect(asForeign.body.error.message.replace(foreignId, "<id>")).toBe(
        asUnknown.body.error.message.replace(unknownId, "<id>"),
      );
    }
    expect(await theirState()).toEqual(snapshot);
  });

  it.each([
    ["listing", "listing"],
    ["customer", "customer"],
  ])(
    "when an order is created with another integration's %s, then 404 resource_not_found naming %s",
    async (field, param) => {
      const own = await listingAndCustomer(srv, mine.key);
      const body = {
        ...own,
        [field]: field === "listing" ? foreign.listing_id : foreign.customer_id,
      };
      const res = await srv.request("POST", "/v1/orders", { key: mine.key, body });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: "resource_not_found", param });
      expect(await theirState()).toEqual(snapshot);
    },
  );

  it.each([
    ["/v1/listings?limit=100"],
    ["/v1/customers?limit=100"],
    ["/v1/orders?limit=100"],
    ["/v1/events?limit=100"],
  ])("when %s is listed, then none of the other integration's objects appear", async (url) => {
    const res = await srv.request("GET", url, { key: mine.key });
    const ids = JSON.stringify(res.body.data);
    for (const id of Object.values(foreign)) expect(ids).not.toContain(id);
  });

  it("when lists are filtered by another integration's customer or listing, then they are empty", async () => {
    const byCustomer = await srv.request("GET", `/v1/orders?customer=${foreign.customer_id}`, {
      key: mine.key,
    });
    expect(byCustomer.body.data).toEqual([]);
    const { listing } = await srv.db
      .selectFrom("orders")
      .select("listing_id as listing")
      .where("id", "=", foreign.order_id as string)
      .executeTakeFirstOrThrow();
    const byListing = await srv.request("GET", `/v1/orders?listing=${listing}`, { key: mine.key });
    expect(byListing.body.data).toEqual([]);
  });

  it("when the integration is retrieved, then it is the caller's own", async () => {
    const res = await srv.request("GET", "/v1/integration", { key: mine.key });
    expect(res.body).toMatchObject({
      id: mine.id,
      name: "Mine",
      mode: "test",
      api_version: "2026-05-07",
      object: "integration",
    });
  });
});
