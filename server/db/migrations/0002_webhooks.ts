import type { Kysely } from "kysely";
import { withSeq } from "./helpers.ts";

/**
 * Webhook endpoints, deliveries (one per event × endpoint, plus replays) and attempts. A
 * delivery's rendered body is stored so a retry or replay sends the same bytes. The lease
 * columns let several workers share the table; (delivery_id, attempt_number) is the primary key
 * of attempts, so an attempt number can be taken — and therefore sent — only once. The
 * rendered body lives in `webhook_payloads`, once per event and version, so the hot delivery
 * rows stay small.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await withSeq(db, db.schema.createTable("webhook_endpoints"))
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("integration_id", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("enabled_events", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("disabled_reason", "text")
    .addColumn("secret_sealed", "text", (c) => c.notNull())
    .addColumn("previous_secret_sealed", "text")
    .addColumn("previous_secret_expires_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("webhook_endpoints_integration_seq")
    .on("webhook_endpoints")
    .columns(["integration_id", "seq"])
    .execute();

  await withSeq(db, db.schema.createTable("webhook_deliveries"))
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("integration_id", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("endpoint_id", "text", (c) => c.notNull())
    .addColumn("api_version", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempt_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("retry_base", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text")
    .addColumn("lease_owner", "text")
    .addColumn("lease_expires_at", "text")
    .addColumn("dead_lettered_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_due")
    .on("webhook_deliveries")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_endpoint_seq")
    .on("webhook_deliveries")
    .columns(["endpoint_id", "status", "seq"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_event_seq")
    .on("webhook_deliveries")
    .columns(["event_id", "seq"])
    .execute();

  // One rendered body per (event, version), shared by every delivery and replay of the event.
  await db.schema
    .createTable("webhook_payloads")
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("api_version", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("webhook_payloads_pk", ["event_id", "api_version"])
    .execute();

  await db.schema
    .createTable("webhook_attempts")
    .addColumn("delivery_id", "text", (c) => c.notNull())
    .addColumn("attempt_number", "integer", (c) => c.notNull())
    .addColumn("worker_id", "text", (c) => c.notNull())
    .addColumn("attempted_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .addColumn("status_code", "integer")
    .addColumn("duration_ms", "integer")
    .addColumn("error", "text")
    .addColumn("response_snippet", "text")
    .addPrimaryKeyConstraint("webhook_attempts_pk", ["delivery_id", "attempt_number"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "webhook_attempts",
    "webhook_payloads",
    "webhook_deliveries",
    "webhook_endpoints",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
