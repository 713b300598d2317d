/**
 * Input a careless or hostile client sends, and the headers every answer carries: each case
 * gets a documented 4xx or is handled as data, never a 500 or a silently changed value.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listingBody, startTestServer, type TestServer } from "./harness.ts";

describe("hostile input", () => {
  let srv: TestServer;
  let key: string;

  beforeAll(async () => {
    srv = await startTestServer();
    key = (await srv.integration("test")).key;
  });
  afterAll(() => srv.close());

  it("when a query value holds the reserved characters ( ) * ! ' unencoded, then it is data, not a 400", async () => {
    const brand = "Tudor (Black Bay)*!'";
    const created = await srv.request("POST", "/v1/listings", {
      key,
      body: listingBody({ brand }),
    });
    expect(created.status).toBe(201);
    // What encodeURIComponent sends: `(`, `)`, `*`, `!` and `'` stay as they are.
    const raw = await srv.request("GET", `/v1/listings?brand=${encodeURIComponent(brand)}`, {
      key,
    });
    expect(raw.status, raw.text).toBe(200);
    expect(raw.body.data.map((l: { id: string }) => l.id)).toEqual([created.body.id]);
    // And the strictly encoded form finds the same listing.
    const strict = encodeURIComponent(brand).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
    const encoded = await srv.request("GET", `/v1/listings?brand=${strict}`, { key });
    expect(encoded.status, encoded.text).toBe(200);
    expect(encoded.body.data.map((l: { id: string }) => l.id)).toEqual([created.body.id]);
  });

  it("when a string holds a lone surrogate, then 400 parameter_invalid names it and nothing is stored", async () => {
    const before = await srv.request("GET", "/v1/listings?limit=100", { key });
    const cases: Array<[string, string]> = [
      ['"brand":"A\\uD800B"', "brand"],
      ['"brand":"A\\uDC00"', "brand"],
      ['"brand":"\\uDBFF"', "brand"],
      ['"metadata":{"k":"x\\uD83D"}', "metadata.k"],
      ['"metadata":{"\\uD800":"x"}', "metadata"],
    ];
    for (const [field, param] of cases) {
      const body = JSON.stringify(listingBody({ brand: "Omega" })).replace(
        /"brand":"Omega"/,
        field.startsWith('"brand"') ? field : `"brand":"Omega",${field}`,
      );
      const res = await srv.request("POST", "/v1/listings", {
        key,
        rawBody: body,
        headers: { "content-type": "application/json" },
      });
      expect(res.status, `${field}: ${res.text}`).toBe(400);
      expect(res.body.error.code).toBe("parameter_invalid");
      expect(res.body.error.param, field).toBe(param);
    }
    const after = await srv.request("GET", "/v1/listings?limit=100", { key });
    expect(after.body.data.length).toBe(before.body.data.length);
  });

  it("when a string holds a well-formed surrogate pair, then it is stored and read back exactly", async () => {
    const body = JSON.stringify(listingBody()).replace('"Omega"', '"Omega \\uD83D\\uDD70"');
    const res = await srv.request("POST", "/v1/listings", {
      key,
      rawBody: body,
      headers: { "content-type": "application/json" },
    });
    expect(res.status, res.text).toBe(201);
    const again = await srv.request("GET", `/v1/listings/${res.body.id}`, { key });
    expect(again.body.brand).toBe("Omega \u{1F570}");
  });

  it.each([
    ["application/json; charset=utf-16", 415],
    ["application/json; charset=iso-8859-1", 415],
    ["application/json; charset=UTF-8", 201],
    ['application/json; charset="utf-8"', 201],
    ["application/json", 201],
  ])("when the body's content type is %s, then %i", async (contentType, status) => {
    const res = await srv.request("POST", "/v1/listings", {
      key,
      rawBody: JSON.stringify(listingBody()),
      headers: { "content-type": contentType },
    });
    expect(res.status, res.text).toBe(status);
    if (status === 415) expect(res.body.error.code).toBe("unsupported_media_type");
  });
});
