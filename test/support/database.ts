/**
 * The one place tests get a database, so the whole suite runs on either backend:
 * `WTH_TEST_BACKEND=sqlite` (default) opens a SQLite file in the test's temp dir;
 * `WTH_TEST_BACKEND=postgres` creates a fresh database `wth_<random>` on the cluster at
 * `WTH_TEST_DATABASE_URL` (see scripts/dev/postgres-cluster.sh) and drops it afterwards, so
 * test files stay as isolated as their SQLite temp files.
 */
import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";
import { type DatabaseHandle, openDatabase, openSqlite } from "../../server/db/connection.ts";
import { migrateToLatest } from "../../server/db/migrate.ts";

export type TestBackend = "sqlite" | "postgres";

function backendFromEnv(): TestBackend {
  const raw = process.env.WTH_TEST_BACKEND ?? "sqlite";
  if (raw !== "sqlite" && raw !== "postgres") {
    throw new Error(`WTH_TEST_BACKEND must be "sqlite" or "postgres", got "${raw}"`);
  }
  return raw;
}

export const testBackend: TestBackend = backendFromEnv();

function adminUrl(): string {
  const url = process.env.WTH_TEST_DATABASE_URL;
  if (url === undefined || url === "") {
    throw new Error(
      "WTH_TEST_BACKEND=postgres needs WTH_TEST_DATABASE_URL (an admin URL to a throwaway cluster): " +
        'eval "$(scripts/dev/postgres-cluster.sh start)"',
    );
  }
  return url;
}

export interface TestDatabase {
  backend: TestBackend;
  handle: DatabaseHandle;
  /** PostgreSQL URL of this test's own database; undefined on SQLite. */
  url: string | undefined;
  /**
   * Environment for a `wth` child process so it opens this same database: `DATA_DIR` (the
   * SQLite file's folder, and where a development secret lives) plus `DATABASE_URL` on PostgreSQL.
   */
  env: Record<string, string>;
  /** Closes the handle and, on PostgreSQL, drops the database (ending any leftover sessions). */
  close(): Promise<void>;
}

/** An empty database on the configured backend (no migrations applied). */
export async function createEmptyTestDatabase(opts: {
  /** The test's temp dir: the SQLite file goes here, and DATA_DIR points here. */
  dir: string;
  /** SQLite file name inside `dir` (default `wth.sqlite`, what `wth` itself opens). */
  file?: string;
  poolSize?: number;
}): Promise<TestDatabase> {
  if (testBackend === "sqlite") {
    const own = closingOnce(openSqlite(path.join(opts.dir, opts.file ?? "wth.sqlite")));
    return {
      backend: "sqlite",
      handle: own,
      url: undefined,
      env: { DATA_DIR: opts.dir },
      close: () => own.close(),
    };
  }
  const admin = adminUrl();
  const name = `wth_${crypto.randomBytes(6).toString("hex")}`;
  await withAdmin(admin, (client) => client.query(`CREATE DATABASE ${name}`));
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  const handle = closingOnce(
    openDatabase({
      dataDir: opts.dir,
      databaseUrl: url,
      poolSize: opts.poolSize ?? 5,
      applicationName: "wth test",
    }),
  );
  let closed = false;
  return {
    backend: "postgres",
    handle,
    url,
    env: { DATA_DIR: opts.dir, DATABASE_URL: url },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
      // FORCE: a child process killed by the test may still hold a session.
      await withAdmin(admin, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/** A migrated database on the configured backend. */
export async function createTestDatabase(opts: {
  dir: string;
  file?: string;
  poolSize?: number;
}): Promise<TestDatabase> {
  const database = await createEmptyTestDatabase(opts);
  try {
    await migrateToLatest(database.handle.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** Tests may close the handle themselves and again through TestDatabase.close(). */
function closingOnce(handle: DatabaseHandle): DatabaseHandle {
  let closing: Promise<void> | undefined;
  return { ...handle, close: () => (closing ??= handle.close()) };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
