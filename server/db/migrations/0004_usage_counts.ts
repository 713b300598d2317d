import type { Kysely } from "kysely";

/**
 * What each integration used, for the console's "what changes if I roll forward": one row per
 * integration, operationId and UTC day, counted up in batches by server/usage/recorder.ts and
 * pruned past 30 days. API keys learn when they were last used (the console lists them).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("usage_counts")
    .addColumn("integration_id", "text", (c) => c.notNull())
    .addColumn("operation_id", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("count", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_counts_pk", ["integration_id", "operation_id", "day"])
    .execute();
  // Pruning deletes by day across all integrations.
  await db.schema.createIndex("usage_counts_day").on("usage_counts").column("day").execute();
  await db.schema.alterTable("api_keys").addColumn("last_used_at", "text").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("api_keys").dropColumn("last_used_at").execute();
  await db.schema.dropTable("usage_counts").execute();
}
