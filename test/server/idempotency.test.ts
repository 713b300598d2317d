import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeIdempotencyKeys, requestHash } from "../../server/http/idempotency.ts";
import { listingAndCustomer, listingBody, startTestServer, type TestServer } from "./harness.ts";

describe("Idempotency-Key", () => {
  let srv: TestServer;
  let key: string;
  let integrationId: string;

  beforeAll(async () => {
    srv = await startTestServer();
    ({ key, id: integrationId } = await srv.integration());
  });
  afterAll(() => srv.close());

  const count = async (table: "listings" | "orders" | "events") =>
    (
      await srv.db
        .selectFrom(table)
        .select("id")
        .where("integration_id", "=", integrationId)
        .execute()
    ).length;

  it("when the same key and body are sent again, then the first status and body are replayed with Idempotent-Replayed and nothing is written twice", async () => {
    const headers = { "idempotency-key": "create-1" };
    const first = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    const listings = await count("listings");
    const events = await count("events");
    const second = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(second.headers.get("request-id")).not.toBe(first.headers.get("request-id"));
    expect(await count("listings")).toBe(listings);
    expect(await count("events")).toBe(events);
  });

  it("when the same body has its keys in another order, then it is still a replay", async () => {
    const headers = { "idempotency-key": "order-of-keys" };
    const first = await srv.request("POST", "/v1/listings", {
      key,
      body: {
        brand: "A",
        model: "B",
        reference_number: "C",
        condition: "new",
        price: 1,
        currency: "CHF",
      },
      headers,
    });
    const second = await srv.request("POST", "/v1/listings", {
      key,
      body: {
        currency: "CHF",
        price: 1,
        condition: "new",
        reference_number: "C",
        model: "B",
        brand: "A",
      },
      headers,
    });
    expect(second.body.id).toBe(first.body.id);
  });

  it("when a 4xx outcome is replayed, then the same error comes back", async () => {
    const { listing } = await listingAndCustomer(srv, key, { publish: false });
    await srv.request("POST", `/v1/listings/${listing}/archive`, { key });
    const headers = { "idempotency-key": "publish-archived" };
    const first = await srv.request("POST", `/v1/listings/${listing}/publish`, { key, headers });
    const second = await srv.request("POST", `/v1/listings/${listing}/publish`, { key, headers });
    expect(first.status).toBe(409);
    expect(second.status).toBe(409);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
  });

  it("when the same key comes with a different body, then 422 idempotency_key_reused", async () => {
    const headers = { "idempotency-key": "create-2" };
    await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    const res = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody({ price: 1 }),
      headers,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("idempotency_key_reused");
  });

  it("when the same key is used on another path, then 422 idempotency_key_reused", async () => {
    const headers = { "idempotency-key": "create-3" };
    await srv.request("POST", "/v1/customers", {
      key,
      body: { email: "a@example.com", name: "A" },
      headers,
    });
    const res = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    expect(res.status).toBe(422);
  });

  it("when a request with the key is still in flight (claimed in the database by another process), then 409 idempotency_key_in_use", async () => {
    const now = new Date().toISOString();
    await srv.db
      .insertInto("idempotency_keys")
      .values({
        integration_id: integrationId,
        key: "in-flight",
        request_hash: requestHash("POST", "/v1/listings", listingBody()),
        state: "in_flight",
        response_status: null,
        response_body: null,
        locked_at: now,
        created_at: now,
      })
      .execute();
    const listings = await count("listings");
    const res = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody(),
      headers: { "idempotency-key": "in-flight" },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("idempotency_key_in_use");
    expect(await count("listings")).toBe(listings);
  });

  it("when concurrent requests share a key, then one runs and the others are in-use or replays", async () => {
    const { listing, customer } = await listingAndCustomer(srv, key);
    const headers = { "idempotency-key": "concurrent-order" };
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        srv.request("POST", "/v1/orders", { key, body: { listing, customer }, headers }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of results) {
      if (r.status !== 201) expect(r.body.error.code).toBe("idempotency_key_in_use");
    }
    const orders = await srv.db
      .selectFrom("orders")
      .select("id")
      .where("listing_id", "=", listing)
      .execute();
    expect(orders).toHaveLength(1);
  });

  it("when a claim is older than the lock timeout (its process died), then a retry takes it over and runs", async () => {
    const old = new Date(Date.now() - 10 * 60 * 1000).toISOString();
    await srv.db
      .insertInto("idempotency_keys")
      .values({
        integration_id: integrationId,
        key: "abandoned",
        request_hash: requestHash("POST", "/v1/listings", listingBody()),
        state: "in_flight",
        response_status: null,
        response_body: null,
        locked_at: old,
        created_at: old,
      })
      .execute();
    const res = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody(),
      headers: { "idempotency-key": "abandoned" },
    });
    expect(res.status).toBe(201);
  });

  it("when two integrations use the same key, then each gets its own result", async () => {
    const other = await srv.integration();
    const headers = { "idempotency-key": "shared-key" };
    const mine = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    const theirs = await srv.request("POST", "/v1/listings", {
      key: other.key,
      body: listingBody(),
      headers,
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
  });

  it("when a request fails validation, then the key is not consumed", async () => {
    const headers = { "idempotency-key": "after-fix" };
    const bad = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody({ price: -1 }),
      headers,
    });
    expect(bad.status).toBe(400);
    const good = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    expect(good.status).toBe(201);
  });

  it("when a key is longer than 255 characters, then 400 parameter_invalid", async () => {
    const res = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody(),
      headers: { "idempotency-key": "k".repeat(256) },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("parameter_invalid");
  });
});

describe("Idempotency-Key retention", () => {
  it("when a key is older than the retention, then it is forgotten and the request runs again", async () => {
    let now = Date.parse("2026-06-01T00:00:00.000Z");
    const srv = await startTestServer({ clock: { now: () => new Date(now) } });
    const { key } = await srv.integration();
    const headers = { "idempotency-key": "old-key" };
    const first = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    now += 23 * 3600 * 1000;
    const replay = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    expect(replay.body.id).toBe(first.body.id);
    now += 2 * 3600 * 1000;
    const fresh = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(first.body.id);
    await srv.close();
  });

  it("when the periodic purge runs, then keys past retention are deleted and newer ones kept", async () => {
    const srv = await startTestServer();
    const { id } = await srv.integration();
    const row = (key: string, created: string, state: "in_flight" | "completed") => ({
      integration_id: id,
      key,
      request_hash: "h",
      state,
      response_status: state === "completed" ? 201 : null,
      response_body: state === "completed" ? "{}" : null,
      locked_at: created,
      created_at: created,
    });
    await srv.db
      .insertInto("idempotency_keys")
      .values([
        row("old-done", "2026-01-01T00:00:00.000Z", "completed"),
        row("old-stuck", "2026-01-01T00:00:00.000Z", "in_flight"),
        row("recent", "2026-01-02T12:00:00.000Z", "completed"),
      ])
      .execute();
    expect(await purgeIdempotencyKeys(srv.db, new Date("2026-01-02T00:00:00.000Z"))).toBe(2);
    const left = await srv.db
      .selectFrom("idempotency_keys")
      .select("key")
      .where("integration_id", "=", id)
      .execute();
    expect(left.map((r) => r.key)).toEqual(["recent"]);
    await srv.close();
  });
});
