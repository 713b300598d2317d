/**
 * HTTP conventions that hold for every route, through real HTTP: HEAD wherever GET, Location on
 * every 201, Basic auth with the key as user name, and the private-URL refusal naming its setting.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  customerBody,
  generatedDir,
  listingAndCustomer,
  listingBody,
  startTestServer,
  type TestServer,
} from "./harness.ts";

const doc = JSON.parse(
  readFileSync(path.join(generatedDir, "2026-05-07", "openapi.json"), "utf8"),
) as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };

function basic(user: string, password = ""): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

describe("HTTP conventions: HEAD, Location, Basic auth", () => {
  let srv: TestServer;
  let key: string;

  beforeAll(async () => {
    // Counts are written only when asked, so no key's last_used_at changes between GET and HEAD.
    srv = await startTestServer({ settings: { usageFlushMs: 0 } });
    key = (await srv.integration()).key;
  });
  afterAll(() => srv.close());

  it("when every GET path of the document is asked with HEAD, then it answers as GET does, with no body", async () => {
    const { listing, customer } = await listingAndCustomer(srv, key);
    const ids: Record<string, string> = { listing_id: listing, customer_id: customer };
    const checked: string[] = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      if (item.get === undefined) continue;
      // Paths whose parameter we have no object for are still routed: a 404 from both.
      const url = template.replace(/\{([^}]+)\}/g, (_m, name: string) => ids[name] ?? "nope_1");
      const get = await srv.request("GET", url, { key });
      const head = await srv.request("HEAD", url, { key });
      expect(head.status, `HEAD ${url}`).toBe(get.status);
      expect(head.status).not.toBe(405);
      expect(head.text).toBe("");
      expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
      // The usage summary counts the GET itself, so its length may differ from the HEAD's.
      if (!template.endsWith("/api_versions")) {
        expect(head.headers.get("content-length")).toBe(get.headers.get("content-length"));
      }
      expect(head.headers.get("x-api-version")).toBe("2026-05-07");
      checked.push(template);
    }
    expect(checked.length).toBeGreaterThan(10);
    const logged = srv.logs.map((l) => JSON.parse(l) as { method?: string; path?: string });
    expect(logged.some((l) => l.method === "HEAD" && l.path === "/v1/integration")).toBe(true);
  });

  it("when HEAD is sent to the docs, then they answer 200 without a body", async () => {
    const res = await srv.request("HEAD", "/docs/");
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });

  it("when HEAD is sent to a path that has no GET, then 405 still lists the methods", async () => {
    const res = await srv.request("HEAD", "/v1/test/reset", { key });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("when an object is created, then the 201 carries Location, and the Location retrieves it", async () => {
    const { listing, customer } = await listingAndCustomer(srv, key);
    const creations: [string, string, unknown][] = [
      ["/v1/listings", "POST", listingBody()],
      ["/v1/customers", "POST", customerBody({ email: "loc@example.com" })],
      ["/v1/orders", "POST", { listing, customer }],
      [
        "/v1/webhook_endpoints",
        "POST",
        { url: "https://93.184.215.14/hooks", enabled_events: ["*"] },
      ],
      ["/v1/test/events", "POST", { type: "listing.created" }],
    ];
    const documented = Object.entries(doc.paths)
      .filter(([, item]) => item.post?.responses?.["201"] !== undefined)
      .map(([p]) => p)
      .sort();
    expect(creations.map(([p]) => p).sort(), "every documented 201 is checked here").toEqual(
      documented,
    );
    for (const [url, method, body] of creations) {
      const created = await srv.request(method, url, { key, body });
      expect(created.status, `${url}: ${created.text}`).toBe(201);
      const location = created.headers.get("location") ?? "";
      expect(location).toMatch(new RegExp(`^/v1/[a-z_]+/${created.body.id}$`));
      const fetched = await srv.request("GET", location, { key });
      expect(fetched.status, location).toBe(200);
      expect(fetched.body.id).toBe(created.body.id);
    }
  });

  it("when a 201 is replayed with its Idempotency-Key, then the replay carries the same Location", async () => {
    const headers = { "idempotency-key": "loc-replay-1" };
    const first = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    const again = await srv.request("POST", "/v1/listings", { key, body: listingBody(), headers });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(first.headers.get("location")).toBe(`/v1/listings/${first.body.id}`);
  });

  it("when a 200 is answered, then there is no Location", async () => {
    const res = await srv.request("GET", "/v1/integration", { key });
    expect(res.headers.get("location")).toBeNull();
  });

  it("when the key is sent as the Basic user name with an empty password, then it authenticates like Bearer", async () => {
    const viaBearer = await srv.request("GET", "/v1/integration", { key });
    const viaBasic = await srv.request("GET", "/v1/integration", {
      headers: { authorization: basic(key) },
    });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body).toEqual(viaBearer.body);
    const created = await srv.request("POST", "/v1/listings", {
      body: listingBody(),
      headers: { authorization: basic(key) },
    });
    expect(created.status).toBe(201);
  });

  it.each([
    ["a password after the key", basic("KEY", "secret")],
    ["an unknown key", basic("wth_test_00000000000000000000000000000000")],
    ["no colon", `Basic ${Buffer.from("wth_test_abc").toString("base64")}`],
    ["an empty user", basic("")],
    ["not base64", "Basic !!!"],
  ])("when Basic carries %s, then 401 invalid_api_key", async (_n, authorization) => {
    const value = authorization.replace(
      Buffer.from("KEY:secret").toString("base64"),
      Buffer.from(`${key}:secret`).toString("base64"),
    );
    const res = await srv.request("GET", "/v1/integration", { headers: { authorization: value } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("invalid_api_key");
  });

  it("when a webhook URL is on loopback, then webhook_url_not_allowed names WTH_ALLOW_PRIVATE_WEBHOOK_URLS", async () => {
    const res = await srv.request("POST", "/v1/webhook_endpoints", {
      key,
      body: { url: "http://127.0.0.1:4000/hooks", enabled_events: ["*"] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("webhook_url_not_allowed");
    expect(res.body.error.message).toContain("WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1");
  });
});
