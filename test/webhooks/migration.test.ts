import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Kysely, Migrator } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest } from "../../server/db/migrate.ts";
import { migrations } from "../../server/db/migrations/index.ts";
import { createEmptyTestDatabase } from "../support/database.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const AT = "2026-05-07T12:00:00.000Z";

describe("migration 0003_webhook_event_seq", () => {
  it("when a database from before it holds deliveries and payloads, then they are keyed by the event's seq and nothing deliverable is lost", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-migration-"));
    const database = await createEmptyTestDatabase({ dir });
    cleanups.push(async () => {
      await database.close();
      await fs.rm(dir, { recursive: true, force: true });
    });
    // biome-ignore lint/suspicious/noExplicitAny: the schema as it was before 0003
    const db = database.handle.db as unknown as Kysely<any>;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const before = await migrator.migrateTo("0002_webhooks");
    expect(before.error).toBeUndefined();

    await db
      .insertInto("integrations")
      .values({ id: "int_1", name: "i", mode: "test", api_version: "2026-05-07", created_at: AT })
      .execute();
    for (const id of ["evt_b", "evt_a", "evt_c"]) {
      await db
        .insertInto("events")
        .values({
          id,
          integration_id: "int_1",
          type: "listing.created",
          data: "{}",
          created_at: AT,
          dispatched_at: AT,
        })
        .execute();
    }
    const seqOf = new Map(
      (await db.selectFrom("events").select(["id", "seq"]).execute()).map((e) => [e.id, e.seq]),
    );
    for (const [delivery, event] of [
      ["wd_1", "evt_b"],
      ["wd_2", "evt_a"],
      ["wd_3", "evt_a"],
    ]) {
      await db
        .insertInto("webhook_deliveries")
        .values({
          id: delivery,
          integration_id: "int_1",
          event_id: event,
          event_type: "listing.created",
          endpoint_id: "we_1",
          api_version: "2026-05-07",
          status: "retrying",
          next_attempt_at: AT,
          created_at: AT,
          updated_at: AT,
        })
        .execute();
    }
    for (const [event, version, body] of [
      ["evt_b", "2026-05-07", '{"b":1}'],
      ["evt_a", "2026-05-07", '{"a":1}'],
      ["evt_a", "2026-09-01", '{"a":2}'],
      ["evt_gone", "2026-05-07", '{"gone":1}'],
    ]) {
      await db
        .insertInto("webhook_payloads")
        .values({ event_id: event, api_version: version, body, created_at: AT })
        .execute();
    }

    expect(await migrateToLatest(db)).toContain("0003_webhook_event_seq");

    const deliveries = await db
      .selectFrom("webhook_deliveries")
      .select(["id", "event_id", "event_seq"])
      .orderBy("id")
      .execute();
    expect(deliveries).toEqual([
      { id: "wd_1", event_id: "evt_b", event_seq: seqOf.get("evt_b") },
      { id: "wd_2", event_id: "evt_a", event_seq: seqOf.get("evt_a") },
      { id: "wd_3", event_id: "evt_a", event_seq: seqOf.get("evt_a") },
    ]);
    const payloads = await db
      .selectFrom("webhook_payloads")
      .select(["event_seq", "api_version", "event_id", "body"])
      .orderBy("event_seq")
      .orderBy("api_version")
      .execute();
    // evt_b was recorded first, so its seq is the lower one.
    expect(payloads.map((p) => [p.event_seq, p.api_version, p.event_id, p.body])).toEqual([
      [seqOf.get("evt_b"), "2026-05-07", "evt_b", '{"b":1}'],
      [seqOf.get("evt_a"), "2026-05-07", "evt_a", '{"a":1}'],
      [seqOf.get("evt_a"), "2026-09-01", "evt_a", '{"a":2}'],
    ]);
    // One payload per event and version still.
    await expect(
      db
        .insertInto("webhook_payloads")
        .values({
          event_seq: seqOf.get("evt_a"),
          api_version: "2026-05-07",
          event_id: "evt_a",
          body: "{}",
          created_at: AT,
        })
        .execute(),
    ).rejects.toThrow();

    const down = await migrator.migrateTo("0002_webhooks");
    expect(down.error).toBeUndefined();
    const restored = await db
      .selectFrom("webhook_payloads")
      .select(["event_id", "api_version", "body"])
      .orderBy("event_id")
      .orderBy("api_version")
      .execute();
    expect(restored.map((p) => `${p.event_id} ${p.api_version} ${p.body}`)).toEqual([
      'evt_a 2026-05-07 {"a":1}',
      'evt_a 2026-09-01 {"a":2}',
      'evt_b 2026-05-07 {"b":1}',
    ]);
  });
});
