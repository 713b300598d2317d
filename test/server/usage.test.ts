/**
 * Usage counts per integration, operationId and day: counted through real HTTP, written in
 * batches, added up across recorders (instances) and pruned past 30 days.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUsageRecorder,
  firstKeptDay,
  operationsUsedSince,
} from "../../server/usage/recorder.ts";
import { ManualClock } from "../webhooks/clock.ts";
import { silentLogger } from "../webhooks/harness.ts";
import { listingBody, startTestServer, type TestServer } from "./harness.ts";

const DAY = 86_400_000;

describe("usage counts", () => {
  let srv: TestServer;
  const clock = new ManualClock(new Date("2026-06-01T10:00:00.000Z"));

  beforeAll(async () => {
    srv = await startTestServer({ clock, settings: { usageFlushMs: 0 } });
  });
  afterAll(() => srv.close());

  it("when an integration calls operations, then each is counted per day once flushed, and its key says when it was last used", async () => {
    const { id, key } = await srv.integration();
    const other = await srv.integration();
    for (let i = 0; i < 3; i++) await srv.request("GET", "/v1/listings", { key });
    await srv.request("POST", "/v1/listings", { key, body: listingBody() });
    await srv.request("POST", "/v1/listings", { key, body: { brand: 1 } }); // a 400 counts too
    await srv.request("GET", "/v1/integration", { key: other.key });
    await srv.request("GET", "/v1/nothing", { key }); // no operation: not counted

    const before = await srv.db.selectFrom("usage_counts").selectAll().execute();
    expect(before).toEqual([]);
    await srv.usage.flush();

    const rows = await srv.db
      .selectFrom("usage_counts")
      .selectAll()
      .where("integration_id", "=", id)
      .orderBy("operation_id")
      .execute();
    expect(rows.map((r) => [r.operation_id, r.day, Number(r.count)])).toEqual([
      ["createListing", "2026-06-01", 2],
      ["listListings", "2026-06-01", 3],
    ]);
    const used = await operationsUsedSince(srv.db, other.id, "2026-05-03");
    expect([...used]).toEqual([["retrieveIntegration", 1]]);
    const keys = await srv.db
      .selectFrom("api_keys")
      .select("last_used_at")
      .where("integration_id", "=", id)
      .execute();
    expect(keys.map((k) => k.last_used_at)).toEqual(["2026-06-01T10:00:00.000Z"]);
  });

  it("when two recorders (two instances) count the same operation, then the stored count is their sum", async () => {
    const { id } = await srv.integration();
    const a = createUsageRecorder({ db: srv.db, clock, logger: silentLogger, flushMs: 0 });
    const b = createUsageRecorder({ db: srv.db, clock, logger: silentLogger, flushMs: 0 });
    for (let i = 0; i < 5; i++) a.record(id, undefined, "listOrders");
    for (let i = 0; i < 7; i++) b.record(id, undefined, "listOrders");
    await Promise.all([a.flush(), b.flush()]);
    a.record(id, undefined, "listOrders");
    await a.stop();
    await b.stop();
    const used = await operationsUsedSince(srv.db, id, "2026-05-03");
    expect(used.get("listOrders")).toBe(13);
  });

  it("when days pass, then counts older than 30 days are pruned and the last 30 days stay", async () => {
    const local = new ManualClock(new Date("2026-07-01T00:30:00.000Z"));
    const { id } = await srv.integration();
    const recorder = createUsageRecorder({
      db: srv.db,
      clock: local,
      logger: silentLogger,
      flushMs: 0,
    });
    recorder.record(id, undefined, "listCustomers"); // 2026-07-01
    await recorder.flush();
    local.advance(29 * DAY);
    recorder.record(id, undefined, "getCustomer"); // 2026-07-30
    await recorder.flush();
    expect([...(await operationsUsedSince(srv.db, id, "2026-01-01"))].sort()).toEqual([
      ["getCustomer", 1],
      ["listCustomers", 1],
    ]);
    local.advance(1 * DAY); // 2026-07-31: 2026-07-01 is now the 31st day back
    expect(firstKeptDay(local.now())).toBe("2026-07-02");
    await recorder.flush();
    expect([...(await operationsUsedSince(srv.db, id, "2026-01-01"))]).toEqual([
      ["getCustomer", 1],
    ]);
    await recorder.stop();
  });
});
