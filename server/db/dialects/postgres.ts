import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DatabaseHandle } from "../connection.ts";
import type { Database } from "../schema.ts";

/** PostgreSQL type OIDs whose text form node-postgres would otherwise hand back as strings. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * `seq` is a bigserial and prices are bigint: node-postgres returns int8 as a string (it can
 * exceed 2^53). Our values stay far below that, and the SQLite build returns numbers, so the
 * shared Kysely code sees numbers on both. A value past 2^53 would be a bug worth crashing on.
 */
function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`integer ${text} exceeds 2^53`);
  return value;
}

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID || oid === NUMERIC_OID) return parseSafeInteger;
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PostgresOptions {
  /** Connections per process (`WTH_DATABASE_POOL_SIZE`). */
  poolSize: number;
  /** Name in pg_stat_activity, so an operator can tell the server from the worker. */
  applicationName?: string;
}

/** Where a URL points, without its password (for logs). */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparseable DATABASE_URL)";
  }
}

/**
 * Opens a pooled PostgreSQL connection. Kysely's PostgresDialect runs the same query builder
 * code as on SQLite; the few places that need PostgreSQL-only SQL ask `isPostgres(db)`.
 */
export function openPostgres(url: string, opts: PostgresOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize,
    types,
    application_name: opts.applicationName ?? "wth",
    // A dropped connection must surface as an error on the next query, not crash the process.
    idleTimeoutMillis: 30_000,
  });
  pool.on("error", () => {
    // Idle clients that lose their connection emit here; the pool replaces them on demand.
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    location: describePostgresUrl(url),
    close: () => db.destroy(),
  };
}
