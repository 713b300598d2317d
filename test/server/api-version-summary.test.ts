/**
 * Settings → API version and API keys, as the console reads them: through real HTTP, and the
 * roll-forward findings from the generate-time emitter kept to what an integration used.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffObjects } from "../../scripts/diff/diff.ts";
import { rollForwardFindings } from "../../scripts/generate/emitters/roll-forward.ts";
import { keepUsed } from "../../server/usage/roll-forward.ts";
import { generatedDir, listingBody, startTestServer, type TestServer } from "./harness.ts";

describe("API version summary and API keys", () => {
  let srv: TestServer;

  beforeAll(async () => {
    srv = await startTestServer({ settings: { usageFlushMs: 0 } });
  });
  afterAll(() => srv.close());

  it("when an integration has called operations and produced events, then the summary shows its pin, the versions and its usage", async () => {
    const { key } = await srv.integration();
    await srv.request("POST", "/v1/listings", { key, body: listingBody() });
    await srv.request("GET", "/v1/listings", { key });
    await srv.request("GET", "/v1/listings", { key });
    const res = await srv.request("GET", "/v1/integration/api_versions", { key });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      object: "api_version_summary",
      pinned: "2026-05-07",
      used_event_types: ["listing.created"],
      versions: [{ version: "2026-05-07", pinned: true, roll_forward: null }],
    });
    expect(res.body.used_operations).toEqual([
      { operation_id: "listListings", count: 2 },
      { operation_id: "createListing", count: 1 },
    ]);
    expect(res.body.usage_since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("when the keys are listed, then each shows its prefix and when it was last used, never the secret", async () => {
    const { key } = await srv.integration();
    const before = await srv.request("GET", "/v1/integration/api_keys", { key });
    expect(before.status, before.text).toBe(200);
    expect(before.body.object).toBe("api_key_summary");
    expect(before.body.keys).toHaveLength(1);
    const [info] = before.body.keys;
    expect(key.startsWith(info.prefix)).toBe(true);
    expect(info.prefix.length).toBeLessThan(key.length);
    expect(before.text).not.toContain(key);
    await srv.usage.flush();
    const after = await srv.request("GET", "/v1/integration/api_keys", { key });
    expect(Date.parse(after.body.keys[0].last_used_at)).toBeGreaterThan(0);
  });

  it("when a newer version removes a field and an event type, then only findings on what was used are kept", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: editing a JSON document in place
    const base: Record<string, any> = JSON.parse(
      readFileSync(path.join(generatedDir, "2026-05-07", "openapi.json"), "utf8"),
    );
    const next = structuredClone(base);
    const drop = (pathName: string, field: string): void => {
      const schema = next.paths[pathName].get.responses["200"].content["application/json"].schema;
      delete schema.properties[field];
      schema.required = schema.required.filter((name: string) => name !== field);
    };
    drop("/v1/customers/{customer_id}", "phone");
    drop("/v1/listings/{listing_id}", "description");
    delete next.webhooks["order.paid"];

    const all = rollForwardFindings(base, next, (await diffObjects(base, next)).findings);
    expect(all.filter((f) => f.breaking).map((f) => f.operation_id ?? f.event_type)).toEqual(
      expect.arrayContaining(["retrieveCustomer", "retrieveListing", "order.paid"]),
    );
    const kept = keepUsed(all, new Set(["retrieveListing"]), new Set(["listing.created"]));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((f) => f.operation_id === "retrieveListing")).toBe(true);
    const withEvents = keepUsed(all, new Set(), new Set(["order.paid"]));
    expect(withEvents.map((f) => f.event_type)).toContain("order.paid");
    expect(withEvents.some((f) => f.operation_id === "retrieveCustomer")).toBe(false);
  });
});
