import {
  type Kysely,
  PostgresAdapter,
  type SelectQueryBuilder,
  sql,
  type Transaction,
} from "kysely";

/**
 * The one question shared code asks of the dialect. Kept to features that need it: row locks
 * for claiming work (SQLite serialises writers instead) and advisory locks.
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema; only the adapter is read
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Adds `FOR UPDATE SKIP LOCKED` on PostgreSQL to a select that picks rows to claim, so that
 * concurrent claimers each get different rows instead of waiting on (and then re-checking) the
 * same ones. SQLite needs nothing: a write transaction there holds the only write lock.
 */
// biome-ignore lint/suspicious/noExplicitAny: works on any select of any schema
export function skipLockedOnPostgres<QB extends SelectQueryBuilder<any, any, any>>(
  // biome-ignore lint/suspicious/noExplicitAny: see above
  db: Kysely<any>,
  qb: QB,
): QB {
  return isPostgres(db) ? (qb.forUpdate().skipLocked() as QB) : qb;
}

/**
 * Runs `fn` in a transaction that no other process can run at the same time for the same
 * `name`: a transaction-scoped advisory lock on PostgreSQL; on SQLite every transaction already
 * holds the database's single write lock from its start (openSqlite begins them immediate; a
 * second process waits on busy_timeout). For check-then-insert steps that must happen exactly
 * once, like the demo integration on an empty database.
 */
export function withExclusiveLock<DB, T>(
  db: Kysely<DB>,
  name: string,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (isPostgres(db)) await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
    return fn(trx);
  });
}
