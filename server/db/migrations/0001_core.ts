import type { Kysely } from "kysely";
import { withSeq } from "./helpers.ts";

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await withSeq(db, db.schema.createTable("integrations"))
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("api_version", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("integration_id", "text", (c) => c.notNull().references("integrations.id"))
    .addColumn("lookup", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("api_keys_lookup").on("api_keys").column("lookup").execute();

  await withSeq(db, db.schema.createTable("listings"))
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("integration_id", "text", (c) => c.notNull())
    .addColumn("brand", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("reference_number", "text", (c) => c.notNull())
    .addColumn("year", "integer")
    .addColumn("condition", "text", (c) => c.notNull())
    .addColumn("box", "integer", (c) => c.notNull())
    .addColumn("papers", "integer", (c) => c.notNull())
    .addColumn("price", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("published_at", "text")
    .execute();
  await db.schema
    .createIndex("listings_integration_seq")
    .on("listings")
    .columns(["integration_id", "seq"])
    .execute();

  await withSeq(db, db.schema.createTable("customers"))
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("integration_id", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("phone", "text")
    .addColumn("shipping_address", "text")
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("customers_integration_seq")
    .on("customers")
    .columns(["integration_id", "seq"])
    .execute();

  await withSeq(db, db.schema.createTable("orders"))
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("integration_id", "text", (c) => c.notNull())
    .addColumn("listing_id", "text", (c) => c.notNull())
    .addColumn("customer_id", "text", (c) => c.notNull())
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("shipping_carrier", "text")
    .addColumn("shipping_tracking_number", "text")
    .addColumn("cancellation_reason", "text")
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("paid_at", "text")
    .addColumn("shipped_at", "text")
    .addColumn("delivered_at", "text")
    .addColumn("cancelled_at", "text")
    .execute();
  await db.schema
    .createIndex("orders_integration_seq")
    .on("orders")
    .columns(["integration_id", "seq"])
    .execute();

  await withSeq(db, db.schema.createTable("events"))
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("integration_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("dispatched_at", "text")
    .execute();
  await db.schema
    .createIndex("events_integration_seq")
    .on("events")
    .columns(["integration_id", "seq"])
    .execute();
  await db.schema
    .createIndex("events_undispatched")
    .on("events")
    .columns(["dispatched_at", "seq"])
    .execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("integration_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("response_status", "integer")
    .addColumn("response_body", "text")
    .addColumn("locked_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["integration_id", "key"])
    .execute();
  await db.schema
    .createIndex("idempotency_keys_created")
    .on("idempotency_keys")
    .column("created_at")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "idempotency_keys",
    "events",
    "orders",
    "customers",
    "listings",
    "api_keys",
    "integrations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
