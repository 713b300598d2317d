import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { BatchStatement } from "../../server/webhooks/batch-statement.ts";
import type { WebhookDb } from "../../server/webhooks/tables.ts";
import { createTestDatabase } from "../support/database.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function database(): Promise<WebhookDb> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-batch-"));
  const db = await createTestDatabase({ dir });
  cleanups.push(async () => {
    await db.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  return db.handle.db as WebhookDb;
}

const insertPayloads = new BatchStatement((db, v, n) =>
  db.insertInto("webhook_payloads").values(
    Array.from({ length: n }, (_, r) => ({
      event_seq: v(4 * r),
      api_version: "2026-05-07", // written by the builder: a constant of every call
      event_id: v(4 * r + 1),
      body: v(4 * r + 2),
      created_at: v(4 * r + 3),
    })),
  ),
);

describe("batch statements", () => {
  it("when run with different row counts, then every call writes its own values, and constants stay", async () => {
    const db = await database();
    let id = 0;
    for (const n of [1, 3, 1, 3, 2]) {
      const values: unknown[] = [];
      for (let r = 0; r < n; r++) {
        id++;
        values.push(id, `evt_${id}`, `{"n":${n}}`, "t");
      }
      await insertPayloads.execute(db, n, values);
    }
    const rows = await db
      .selectFrom("webhook_payloads")
      .select(["event_id", "api_version", "body"])
      .orderBy("event_id")
      .execute();
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(10);
    expect(rows.every((r) => r.api_version === "2026-05-07")).toBe(true);
    expect(rows.filter((r) => r.body === '{"n":3}')).toHaveLength(6);
  });

  it("when the statement returns rows, then they come back as Kysely would return them", async () => {
    const db = await database();
    await insertPayloads.execute(db, 2, [1, "evt_a", "a", "t1", 2, "evt_b", "b", "t2"]);
    const bodyOf = new BatchStatement((db, v) =>
      db.selectFrom("webhook_payloads").select(["event_id", "body"]).where("event_id", "=", v(0)),
    );
    expect((await bodyOf.execute(db, 1, ["evt_b"])).rows).toEqual([
      { event_id: "evt_b", body: "b" },
    ]);
  });

  it("when a builder writes a value into the SQL text instead of a parameter, then it is refused", async () => {
    const db = await database();
    const inlined = new BatchStatement((db, v) =>
      db
        .selectFrom("webhook_payloads")
        .select("body")
        .where("event_id", "=", sql.lit(v(0))),
    );
    await expect(inlined.execute(db, 1, ["evt_a"])).rejects.toThrow(/value 0 is not a parameter/);
  });
});
