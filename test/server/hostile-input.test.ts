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
});
