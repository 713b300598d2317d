import type { Kysely } from "kysely";

/**
 * Deliveries and payloads find their event by its `seq` instead of its id. Event ids are
 * random, so every fan-out inserted into two indexes keyed by them (a delivery's `event_id`,
 * a payload's primary key) at a random page each — about a third of the pages a delivery
 * made the database write. `seq` grows with every event, so those inserts now land at the end
 * of their indexes. `event_id` stays on both tables (the API shows it); lookups by event
 * resolve the id to its seq through the events table first.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("webhook_deliveries").addColumn("event_seq", "bigint").execute();
  await db
    .updateTable("webhook_deliveries")
    .set((eb) => ({
      event_seq: eb
        .selectFrom("events")
        .select("events.seq")
        .whereRef("events.id", "=", "webhook_deliveries.event_id"),
    }))
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_by_event")
    .on("webhook_deliveries")
    .columns(["event_seq", "seq"])
    .execute();
  await db.schema.dropIndex("webhook_deliveries_event_seq").execute();

  await db.schema
    .createTable("webhook_payloads_by_seq")
    .addColumn("event_seq", "bigint", (c) => c.notNull())
    .addColumn("api_version", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("webhook_payloads_event_seq_pk", ["event_seq", "api_version"])
    .execute();
  // A payload whose event is gone could not be sent or replayed again; it is not carried over.
  await db
    .insertInto("webhook_payloads_by_seq")
    .columns(["event_seq", "api_version", "event_id", "body", "created_at"])
    .expression(
      db
        .selectFrom("webhook_payloads as p")
        .innerJoin("events as e", "e.id", "p.event_id")
        .select(["e.seq", "p.api_version", "p.event_id", "p.body", "p.created_at"]),
    )
    .execute();
  await db.schema.dropTable("webhook_payloads").execute();
  await db.schema.alterTable("webhook_payloads_by_seq").renameTo("webhook_payloads").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("webhook_payloads_by_id")
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("api_version", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("webhook_payloads_pk", ["event_id", "api_version"])
    .execute();
  await db
    .insertInto("webhook_payloads_by_id")
    .columns(["event_id", "api_version", "body", "created_at"])
    .expression(
      db.selectFrom("webhook_payloads").select(["event_id", "api_version", "body", "created_at"]),
    )
    .execute();
  await db.schema.dropTable("webhook_payloads").execute();
  await db.schema.alterTable("webhook_payloads_by_id").renameTo("webhook_payloads").execute();

  await db.schema
    .createIndex("webhook_deliveries_event_seq")
    .on("webhook_deliveries")
    .columns(["event_id", "seq"])
    .execute();
  await db.schema.dropIndex("webhook_deliveries_by_event").execute();
  await db.schema.alterTable("webhook_deliveries").dropColumn("event_seq").execute();
}
