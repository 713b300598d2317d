import type { Kysely } from "kysely";

/**
 * An idempotent replay re-sends the stored response as it was sent, so it must also say which
 * version that response is in: after `wth integrations roll` the integration's pinned version is
 * no longer the one the stored body was rendered in (docs/minting.md, "Replays and retries").
 * Rows stored before this column existed replay under the pinned version, as before.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("idempotency_keys").addColumn("api_version", "text").execute();
}
