import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listingBody, startTestServer, type TestServer } from "./harness.ts";

const REQUEST_ID = /^req_[0-9A-Za-z]+$/;

describe("HTTP conventions", () => {
  let srv: TestServer;
  let key: string;

  beforeAll(async () => {
    srv = await startTestServer();
    key = (await srv.integration()).key;
  });
  afterAll(() => srv.close());

  it.each([
    ["a successful GET", "GET", "/v1/integration", true, undefined],
    ["a 401 without a key", "GET", "/v1/listings", false, undefined],
    ["a 404 unknown route", "GET", "/v1/nothing-here", true, undefined],
    ["a 404 outside /v1", "GET", "/nope", false, undefined],
    ["a 400 validation failure", "POST", "/v1/listings", true, { brand: 1 }],
    ["a 405", "DELETE", "/v1/listings", true, undefined],
  ])(
    "when the request is %s, then the response carries X-API-Version and Request-Id",
    async (_n, method, url, withKey, body) => {
      const res = await srv.request(method, url, { key: withKey ? key : null, body });
      expect(res.headers.get("x-api-version")).toBe("2026-05-07");
      expect(res.headers.get("request-id")).toMatch(REQUEST_ID);
      if (res.status >= 400) {
        expect(res.body.error.request_id).toBe(res.headers.get("request-id"));
        expect(typeof res.body.error.code).toBe("string");
        expect(typeof res.body.error.message).toBe("string");
      }
    },
  );

  it("when a client sends another X-API-Version, then it is ignored and the pinned version answers", async () => {
    const plain = await srv.request("GET", "/v1/integration", { key });
    const other = await srv.request("GET", "/v1/integration", {
      key,
      headers: { "x-api-version": "2030-01-01" },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get("x-api-version")).toBe("2026-05-07");
    expect(other.body).toEqual(plain.body);
    const created = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody(),
      headers: { "x-api-version": "1999-01-01" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-api-version")).toBe("2026-05-07");
  });

  it("when no Authorization header is sent, then 401 authentication_required", async () => {
    const res = await srv.request("GET", "/v1/listings");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("authentication_required");
  });

  it.each([
    ["an unknown key", "Bearer wth_test_00000000000000000000000000000000"],
    ["a malformed key", "Bearer not-a-key"],
    ["a non-bearer scheme", "Basic dXNlcjpwYXNz"],
  ])("when the key is %s, then 401 invalid_api_key", async (_n, authorization) => {
    const res = await srv.request("GET", "/v1/listings", { headers: { authorization } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("invalid_api_key");
  });

  it("when the route does not exist, then 404 route_not_found", async () => {
    const res = await srv.request("GET", "/v1/watches", { key });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("route_not_found");
  });

  it("when the method is not allowed on a path, then 405 with Allow listing the methods", async () => {
    const res = await srv.request("PUT", "/v1/listings", { key, body: listingBody() });
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe("method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, POST");
  });

  it("when the body is not well-formed JSON, then 400 invalid_json and nothing is written", async () => {
    const before = await srv.db.selectFrom("listings").select("id").execute();
    const res = await srv.request("POST", "/v1/listings", {
      key,
      rawBody: '{"brand": "Omega",',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_json");
    expect(await srv.db.selectFrom("listings").select("id").execute()).toHaveLength(before.length);
  });

  it.each([
    ["text/plain", "hello"],
    ["application/x-www-form-urlencoded", "brand=Omega"],
    ["application/xml", "<listing/>"],
  ])("when the body is %s, then 415 unsupported_media_type", async (type, raw) => {
    const res = await srv.request("POST", "/v1/listings", {
      key,
      rawBody: raw,
      headers: { "content-type": type },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
  });

  it("when the body has no content type, then 415 unsupported_media_type", async () => {
    const res = await srv.request("POST", "/v1/listings", {
      key,
      rawBody: JSON.stringify(listingBody()),
    });
    expect(res.status).toBe(415);
  });

  it("when the body exceeds 64 KiB, then 413 body_too_large", async () => {
    const res = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody({ description: "x".repeat(70 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("body_too_large");
  });

  it("when the body nests deeper than 32 levels, then 400 body_too_deep", async () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const res = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody({ metadata: deep }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("body_too_deep");
  });

  it("when the body nests 5000 levels of arrays, then 400 body_too_deep, not a crash", async () => {
    const res = await srv.request("POST", "/v1/listings", {
      key,
      rawBody: `${"[".repeat(5000)}${"]".repeat(5000)}`,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("body_too_deep");
  });

  it("when the JSON body is not an object, then 400 parameter_invalid", async () => {
    const res = await srv.request("POST", "/v1/listings", { key, body: [1, 2, 3] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("parameter_invalid");
  });

  it("when a body field is unknown, then 400 parameter_unknown naming it", async () => {
    const res = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody({ colour: "blue" }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "parameter_unknown", param: "colour" });
  });

  it("when a required field is missing, then 400 parameter_missing naming it", async () => {
    const body = listingBody();
    delete body.price;
    const res = await srv.request("POST", "/v1/listings", { key, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "parameter_missing", param: "price" });
  });

  it("when several fields are wrong, then every failure is reported and param names the first", async () => {
    const res = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody({ price: "lots", currency: "euro", year: 1200 }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("parameter_invalid");
    expect(["price", "currency", "year"]).toContain(res.body.error.param);
    for (const field of ["price", "currency", "year"])
      expect(res.body.error.message).toContain(field);
  });

  it("when a nested field is wrong, then param is its dotted path", async () => {
    const res = await srv.request("POST", "/v1/customers", {
      key,
      body: {
        email: "a@example.com",
        name: "A",
        shipping_address: {
          line1: "x",
          line2: null,
          city: "y",
          postal_code: "1",
          country: "france",
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: "parameter_invalid",
      param: "shipping_address.country",
    });
  });

  it("when a query parameter is unknown, then 400 parameter_unknown naming it", async () => {
    const res = await srv.request("GET", "/v1/listings?colour=blue", { key });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "parameter_unknown", param: "colour" });
  });

  it.each([["0"], ["101"], ["ten"], ["1.5"]])(
    "when limit is %s, then 400 parameter_invalid on limit",
    async (limit) => {
      const res = await srv.request("GET", `/v1/listings?limit=${limit}`, { key });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "parameter_invalid", param: "limit" });
    },
  );

  it("when an ID has the wrong shape, then 400 parameter_invalid naming the path parameter", async () => {
    const res = await srv.request("GET", "/v1/listings/cus_abcdefghijklmnopqrstuvwx", { key });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "parameter_invalid", param: "listing_id" });
  });

  it("when one operation is called with good and bad IDs in turn, then each request's own ID is validated", async () => {
    // The validator's route lookup is remembered per operation; the path parameters must not be.
    const good = "/v1/listings/lst_abcdefghijklmnopqrstuvwx";
    const bad = "/v1/listings/cus_abcdefghijklmnopqrstuvwx";
    const statuses: number[] = [];
    for (const url of [good, bad, good, bad]) {
      statuses.push((await srv.request("GET", url, { key })).status);
    }
    expect(statuses).toEqual([404, 400, 404, 400]);
  });

  it("when a GET carries a body, then the body is ignored", async () => {
    const res = await srv.request("GET", "/v1/integration", {
      key,
      rawBody: "not json",
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(200);
  });

  it("when requests are logged, then no line contains the API key or the Authorization header", async () => {
    const secretKey = (await srv.integration("test", "Log check")).key;
    await srv.request("GET", "/v1/integration", { key: secretKey });
    await srv.request("GET", "/v1/integration", {
      headers: { authorization: `Bearer ${secretKey}x` },
    });
    const logs = srv.logs.join("");
    expect(logs).toContain('"path":"/v1/integration"');
    expect(logs).not.toContain(secretKey);
    expect(logs.toLowerCase()).not.toContain("bearer");
    const lines = srv.logs.map((l) => JSON.parse(l) as { request_id?: string; msg: string });
    const requestLines = lines.filter((l) => l.msg === "request");
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect(line.request_id).toMatch(REQUEST_ID);
  });
});

describe("rate limiting", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ settings: { rateLimit: { perSecond: 0.01, burst: 3 } } });
  });
  afterAll(() => srv.close());

  it("when an integration exceeds its bucket, then 429 rate_limited with Retry-After, and other integrations are unaffected", async () => {
    const a = await srv.integration();
    const b = await srv.integration();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<TestServer["request"]>> | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await srv.request("GET", "/v1/integration", { key: a.key });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(limited?.body.error.code).toBe("rate_limited");
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await srv.request("GET", "/v1/integration", { key: b.key })).status).toBe(200);
  });
});

describe("internal errors", () => {
  it("when the database fails under a request, then 500 internal_error with the envelope, logged with the request id", async () => {
    const srv = await startTestServer();
    const { key } = await srv.integration();
    const failing = await srv.integration();
    // A real failure: drop a table the handler needs.
    await srv.db.schema.dropTable("customers").execute();
    const res = await srv.request("GET", "/v1/customers", { key });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe("internal_error");
    expect(res.headers.get("x-api-version")).toBe("2026-05-07");
    const logged = srv.logs.map(
      (l) => JSON.parse(l) as { msg: string; request_id?: string; level: number },
    );
    expect(
      logged.some(
        (l) =>
          l.msg === "request failed" && l.request_id === res.body.error.request_id && l.level >= 50,
      ),
    ).toBe(true);
    expect(failing.key).not.toBe(key);
    await srv.close();
  });
});
