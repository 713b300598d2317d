import { type CreateTableBuilder, type Kysely, SqliteAdapter } from "kysely";

/**
 * Adds the integer `seq` primary key that orders keyset pagination. SQLite and PostgreSQL spell
 * an autoincrementing key differently; this is the one place that knows both.
 */
export function withSeq<T extends string>(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against any past schema shape
  db: Kysely<any>,
  builder: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, "seq"> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    return builder.addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement());
  }
  return builder.addColumn("seq", "bigserial", (c) => c.primaryKey());
}
