import { type Kysely, type MigrationResultSet, Migrator, sql } from "kysely";
import { isPostgres } from "./dialects/index.ts";
import { migrations } from "./migrations/index.ts";

/** How long a process waits, in 5 s turns of busy_timeout, for another one's migrations. */
const SQLITE_LOCK_TURNS = 12;

/** Applies every pending migration; throws (naming the migration) if one fails. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result = isPostgres(db)
    ? await migrator.migrateToLatest()
    : await underSqliteWriteLock(db, () => migrator.migrateToLatest());
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * On SQLite, Kysely takes no migration lock and runs each migration outside a transaction (on
 * PostgreSQL it takes an advisory lock and one transaction). So the whole run holds SQLite's
 * write lock, in one transaction on the single connection: a process starting alongside waits
 * until this one commits and then finds nothing pending, and a failed run leaves nothing half
 * applied.
 */
async function underSqliteWriteLock(
  // biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic
  db: Kysely<any>,
  run: () => Promise<MigrationResultSet>,
): Promise<MigrationResultSet> {
  for (let turn = 1; ; turn++) {
    try {
      await sql`begin immediate`.execute(db);
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== "SQLITE_BUSY" || turn >= SQLITE_LOCK_TURNS) throw err;
    }
  }
  let result: MigrationResultSet;
  try {
    result = await run();
  } catch (err) {
    await sql`rollback`.execute(db);
    throw err;
  }
  await sql.raw(result.error === undefined ? "commit" : "rollback").execute(db);
  return result;
}
