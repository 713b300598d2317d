import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerBody, eventTypes, startTestServer, type TestServer } from "./harness.ts";

const address = {
  line1: "1 Rue du Rhône",
  line2: null,
  city: "Geneva",
  postal_code: "1204",
  country: "CH",
};

describe("customers", () => {
  let srv: TestServer;
  let key: string;
  let integrationId: string;

  beforeAll(async () => {
    srv = await startTestServer();
    ({ key, id: integrationId } = await srv.integration());
  });
  afterAll(() => srv.close());

  it("when a customer is created, then it is returned, retrievable, and customer.created is recorded", async () => {
    const res = await srv.request("POST", "/v1/customers", {
      key,
      body: customerBody({
        phone: "+41 22 000 00 00",
        shipping_address: address,
        metadata: { crm: "42" },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: "customer",
      email: "ada@example.com",
      name: "Ada Lovelace",
      phone: "+41 22 000 00 00",
      shipping_address: address,
      metadata: { crm: "42" },
    });
    expect(res.body.id).toMatch(/^cus_[0-9A-Za-z]{24}$/);
    const got = await srv.request("GET", `/v1/customers/${res.body.id}`, { key });
    expect(got.body).toEqual(res.body);
    expect((await eventTypes(srv, integrationId)).at(-1)).toBe("customer.created");
  });

  it("when optional fields are omitted, then they are null and metadata is empty", async () => {
    const res = await srv.request("POST", "/v1/customers", { key, body: customerBody() });
    expect(res.body).toMatchObject({ phone: null, shipping_address: null, metadata: {} });
  });

  it.each([
    ["an invalid email", { email: "not-an-email" }, "parameter_invalid", "email"],
    ["an empty name", { name: "" }, "parameter_invalid", "name"],
    ["no email", { email: undefined }, "parameter_missing", "email"],
  ])("when created with %s, then 400 %s", async (_n, overrides, code, param) => {
    const res = await srv.request("POST", "/v1/customers", { key, body: customerBody(overrides) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code, param });
  });

  it("when a customer is updated, then the sent fields change, metadata is replaced, and customer.updated is recorded", async () => {
    const created = await srv.request("POST", "/v1/customers", {
      key,
      body: customerBody({ metadata: { a: "1", b: "2" } }),
    });
    const res = await srv.request("PATCH", `/v1/customers/${created.body.id}`, {
      key,
      body: { name: "Ada King", shipping_address: address, metadata: { c: "3" } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Ada King",
      email: "ada@example.com",
      shipping_address: address,
      metadata: { c: "3" },
    });
    expect((await eventTypes(srv, integrationId)).at(-1)).toBe("customer.updated");
    const cleared = await srv.request("PATCH", `/v1/customers/${created.body.id}`, {
      key,
      body: { shipping_address: null, phone: null },
    });
    expect(cleared.body).toMatchObject({ shipping_address: null, phone: null });
  });

  it.each([
    ["GET", undefined],
    ["PATCH", { name: "X" }],
  ])(
    "when %s targets an unknown customer, then 404 resource_not_found naming customer_id",
    async (method, body) => {
      const res = await srv.request(method, "/v1/customers/cus_000000000000000000000000", {
        key,
        body,
      });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: "resource_not_found", param: "customer_id" });
    },
  );

  it("when customers are filtered by email, then only exact matches are returned", async () => {
    const own = await srv.integration();
    await srv.request("POST", "/v1/customers", {
      key: own.key,
      body: customerBody({ email: "x@example.com" }),
    });
    const y = await srv.request("POST", "/v1/customers", {
      key: own.key,
      body: customerBody({ email: "y@example.com" }),
    });
    const res = await srv.request("GET", "/v1/customers?email=y%40example.com", { key: own.key });
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([y.body.id]);
    const all = await srv.request("GET", "/v1/customers?limit=1", { key: own.key });
    expect(all.body.has_more).toBe(true);
    expect(all.body.data).toHaveLength(1);
  });
});
