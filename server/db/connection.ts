import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";
import { openPostgres } from "./dialects/postgres.ts";
import type { Database } from "./schema.ts";
import { withStatementCache } from "./statement-cache.ts";

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** Where the data lives, for messages (never a secret: no credentials in a file path). */
  location: string;
  close(): Promise<void>;
}

/**
 * Opens the embedded SQLite database. WAL lets the CLI and the server share the file;
 * synchronous=NORMAL survives a killed process; busy_timeout makes a second process wait
 * for a write lock instead of failing at once.
 */
export function openSqlite(file: string): DatabaseHandle {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  ownerOnly(file);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({
    dialect: new WriteLockingSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    db,
    location: file,
    close: () => db.destroy(),
  };
}

/**
 * The database holds key hashes, sealed secrets and customers' personal data: only its owner
 * may read it, like the secret file. Created 0600 before SQLite opens it (SQLite gives its
 * -wal and -shm files the database's mode), and an existing file left readable by others, as
 * earlier versions created it, is narrowed.
 */
function ownerOnly(file: string): void {
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}

/**
 * Every SQLite transaction starts by taking the write lock (`begin immediate`). A deferred one
 * that reads, then writes, fails as "database is locked" when another connection commits in
 * between — the webhook store thread, a `wth worker`, a CLI command — and waiting cannot help
 * it, since its snapshot is stale. Taking the lock first makes it wait its turn on busy_timeout.
 */
class WriteLockingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new WriteLockingSqliteDriver(this.#config);
  }
}

class WriteLockingSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/** What openDatabase needs; plain values, so another thread can open the same database. */
export interface DatabaseLocation {
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL connections in this process (default 10). */
  poolSize?: number;
  applicationName?: string;
}

/**
 * Opens the database the environment points at: PostgreSQL when `DATABASE_URL` is set, else
 * the embedded SQLite file under `DATA_DIR`.
 */
export function openDatabase(opts: DatabaseLocation): DatabaseHandle {
  if (opts.databaseUrl !== undefined && opts.databaseUrl !== "") {
    return openPostgres(opts.databaseUrl, {
      poolSize: opts.poolSize ?? 10,
      applicationName: opts.applicationName,
    });
  }
  return openSqlite(path.join(opts.dataDir, "wth.sqlite"));
}
