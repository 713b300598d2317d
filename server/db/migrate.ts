import { type Kysely, type MigrationResultSet, Migrator } from "kysely";
import { isPostgres } from "./dialects/index.ts";
import { migrations } from "./migrations/index.ts";

/** Applies every pending migration; throws (naming the migration) if one fails. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  let result: MigrationResultSet = await migrator.migrateToLatest();
  // Kysely takes no migration lock on SQLite (its PostgreSQL adapter takes an advisory lock), so
  // two processes starting together on one file can both see a migration pending; the loser's
  // transaction rolls back. Running again reads the winner's work and finds nothing left to do.
  for (let retry = 0; retry < 3 && result.error !== undefined && !isPostgres(db); retry++) {
    result = await migrator.migrateToLatest();
  }
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
