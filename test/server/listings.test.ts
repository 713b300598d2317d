import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventTypes,
  listingAndCustomer,
  listingBody,
  startTestServer,
  type TestServer,
} from "./harness.ts";

describe("listings", () => {
  let srv: TestServer;
  let key: string;
  let integrationId: string;

  beforeAll(async () => {
    srv = await startTestServer();
    ({ key, id: integrationId } = await srv.integration());
  });
  afterAll(() => srv.close());

  it("when a listing is created, then it is a draft with defaults, stored, and listing.created is recorded", async () => {
    const before = (await eventTypes(srv, integrationId)).length;
    const res = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody({ year: 1969, metadata: { sku: "A1" } }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: "listing",
      status: "draft",
      box: false,
      papers: false,
      year: 1969,
      description: null,
      published_at: null,
      metadata: { sku: "A1" },
    });
    expect(res.body.id).toMatch(/^lst_[0-9A-Za-z]{24}$/);
    const got = await srv.request("GET", `/v1/listings/${res.body.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    const types = await eventTypes(srv, integrationId);
    expect(types.slice(before)).toEqual(["listing.created"]);
  });

  it("when a listing id is unknown, then 404 resource_not_found naming listing_id", async () => {
    const res = await srv.request("GET", "/v1/listings/lst_000000000000000000000000", { key });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "resource_not_found", param: "listing_id" });
  });

  it("when a draft is updated, then only the sent fields change and listing.updated is recorded", async () => {
    const created = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody({ description: "old" }),
    });
    const res = await srv.request("PATCH", `/v1/listings/${created.body.id}`, {
      key,
      body: { price: 700000, description: null, box: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ price: 700000, description: null, box: true, brand: "Omega" });
    expect((await eventTypes(srv, integrationId)).at(-1)).toBe("listing.updated");
  });

  it("when an update is empty, then 400 (at least one field)", async () => {
    const created = await srv.request("POST", "/v1/listings", { key, body: listingBody() });
    const res = await srv.request("PATCH", `/v1/listings/${created.body.id}`, { key, body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("parameter_invalid");
  });

  it("when an update sends status, then 400 parameter_unknown: status changes only through actions", async () => {
    const created = await srv.request("POST", "/v1/listings", { key, body: listingBody() });
    const res = await srv.request("PATCH", `/v1/listings/${created.body.id}`, {
      key,
      body: { status: "sold" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "parameter_unknown", param: "status" });
  });

  it("when a draft is published, then it is published with published_at and listing.published is recorded", async () => {
    const created = await srv.request("POST", "/v1/listings", { key, body: listingBody() });
    const res = await srv.request("POST", `/v1/listings/${created.body.id}/publish`, { key });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("published");
    expect(res.body.published_at).not.toBeNull();
    expect((await eventTypes(srv, integrationId)).at(-1)).toBe("listing.published");
  });

  it.each([
    ["publish", "published", "invalid_listing_transition"],
    ["publish", "archived", "invalid_listing_transition"],
    ["publish", "sold", "invalid_listing_transition"],
    ["archive", "archived", "invalid_listing_transition"],
    ["archive", "sold", "invalid_listing_transition"],
  ])(
    "when %s is called on a %s listing, then 409 %s and nothing changes",
    async (action, state, code) => {
      const { listing } = await listingAndCustomer(srv, key, { publish: state !== "draft" });
      if (state === "archived")
        await srv.request("POST", `/v1/listings/${listing}/archive`, { key });
      if (state === "sold") {
        const customer = await srv.request("POST", "/v1/customers", {
          key,
          body: { email: "s@example.com", name: "S" },
        });
        await srv.request("POST", "/v1/orders", {
          key,
          body: { listing, customer: customer.body.id },
        });
      }
      const before = await srv.request("GET", `/v1/listings/${listing}`, { key });
      expect(before.body.status).toBe(state);
      const eventsBefore = (await eventTypes(srv, integrationId)).length;
      const res = await srv.request("POST", `/v1/listings/${listing}/${action}`, { key });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe(code);
      expect((await srv.request("GET", `/v1/listings/${listing}`, { key })).body).toEqual(
        before.body,
      );
      expect((await eventTypes(srv, integrationId)).length).toBe(eventsBefore);
    },
  );

  it.each([["draft"], ["published"]])(
    "when a %s listing is archived, then it is archived and listing.updated is recorded",
    async (state) => {
      const { listing } = await listingAndCustomer(srv, key, { publish: state === "published" });
      const res = await srv.request("POST", `/v1/listings/${listing}/archive`, { key });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("archived");
      expect((await eventTypes(srv, integrationId)).at(-1)).toBe("listing.updated");
    },
  );

  it.each([["archived"], ["sold"]])(
    "when a %s listing is updated, then 409 listing_not_editable",
    async (state) => {
      const { listing, customer } = await listingAndCustomer(srv, key);
      if (state === "archived")
        await srv.request("POST", `/v1/listings/${listing}/archive`, { key });
      else await srv.request("POST", "/v1/orders", { key, body: { listing, customer } });
      const res = await srv.request("PATCH", `/v1/listings/${listing}`, {
        key,
        body: { price: 1 },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("listing_not_editable");
    },
  );

  it.each([
    ["publish", "POST", "/publish"],
    ["archive", "POST", "/archive"],
    ["update", "PATCH", ""],
  ])(
    "when %s targets an unknown listing, then 404 resource_not_found",
    async (_n, method, suffix) => {
      const res = await srv.request(method, `/v1/listings/lst_000000000000000000000000${suffix}`, {
        key,
        body: method === "PATCH" ? { price: 5 } : undefined,
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("resource_not_found");
    },
  );

  it("when listings are filtered by status, brand and creation time, then only matching ones are returned, newest first", async () => {
    const own = await srv.integration();
    const a = await srv.request("POST", "/v1/listings", {
      key: own.key,
      body: listingBody({ brand: "Rolex" }),
    });
    const b = await srv.request("POST", "/v1/listings", {
      key: own.key,
      body: listingBody({ brand: "Tudor" }),
    });
    await srv.request("POST", `/v1/listings/${b.body.id}/publish`, { key: own.key });
    const c = await srv.request("POST", "/v1/listings", {
      key: own.key,
      body: listingBody({ brand: "Rolex" }),
    });

    const all = await srv.request("GET", "/v1/listings", { key: own.key });
    expect(all.body.data.map((l: { id: string }) => l.id)).toEqual([
      c.body.id,
      b.body.id,
      a.body.id,
    ]);
    const rolex = await srv.request("GET", "/v1/listings?brand=Rolex", { key: own.key });
    expect(rolex.body.data.map((l: { id: string }) => l.id)).toEqual([c.body.id, a.body.id]);
    const published = await srv.request("GET", "/v1/listings?status=published", { key: own.key });
    expect(published.body.data.map((l: { id: string }) => l.id)).toEqual([b.body.id]);
    const since = await srv.request(
      "GET",
      `/v1/listings?created_gte=${encodeURIComponent(c.body.created_at)}`,
      { key: own.key },
    );
    expect(since.body.data.map((l: { id: string }) => l.id)).toContain(c.body.id);
    const before = await srv.request(
      "GET",
      `/v1/listings?created_lt=${encodeURIComponent(a.body.created_at)}`,
      { key: own.key },
    );
    expect(before.body.data).toEqual([]);
    const badStatus = await srv.request("GET", "/v1/listings?status=lost", { key: own.key });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error).toMatchObject({ code: "parameter_invalid", param: "status" });
    const badDate = await srv.request("GET", "/v1/listings?created_gte=yesterday", {
      key: own.key,
    });
    expect(badDate.body.error).toMatchObject({ code: "parameter_invalid", param: "created_gte" });
  });
});
