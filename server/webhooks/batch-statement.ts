import { type Compilable, CompiledQuery, type QueryResult } from "kysely";
import { isPostgres } from "../db/dialects/index.ts";
import type { WebhookDb } from "./tables.ts";

/**
 * The worker's hot statements have a shape that depends only on a count (rows in a multi-row
 * insert, ids in an `in` list), yet Kysely builds, parses and compiles them value by value on
 * every call — for a batch of deliveries that costs more than running the SQL. A batch
 * statement is built and compiled by Kysely once per count and dialect, with a marker where
 * each value goes; later calls run that SQL with the values in the markers' places. The SQL is
 * still Kysely's, for whichever dialect the database is.
 */
export type BuildStatement = (
  db: WebhookDb,
  /** Where `values[i]` goes (typed to fit any column; it is a marker string). */
  value: (i: number) => never,
  count: number,
) => Compilable<unknown>;

/** A compiled parameter: the index of a value, or a constant the builder wrote itself. */
type Slot = { value: number } | { constant: unknown };

const MARKER = "\u0000wth-batch-value:";

export class BatchStatement {
  readonly #build: BuildStatement;
  readonly #compiled = new Map<string, { sql: string; slots: Slot[] }>();

  constructor(build: BuildStatement) {
    this.#build = build;
  }

  /** Runs the statement for `count`, with `values` in the order the builder placed them. */
  async execute(
    db: WebhookDb,
    count: number,
    values: readonly unknown[],
  ): Promise<QueryResult<unknown>> {
    const { sql, slots } = this.#compile(db, count, values.length);
    const parameters = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as Slot;
      parameters[i] = "value" in slot ? values[slot.value] : slot.constant;
    }
    return db.executeQuery(CompiledQuery.raw(sql, parameters));
  }

  #compile(db: WebhookDb, count: number, valueCount: number): { sql: string; slots: Slot[] } {
    const key = `${isPostgres(db) ? "pg" : "sqlite"} ${count} ${valueCount}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      const query = this.#build(db, (i) => `${MARKER}${i}` as never, count).compile();
      const seen = new Set<number>();
      const slots = query.parameters.map((p): Slot => {
        if (typeof p === "string" && p.startsWith(MARKER)) {
          const index = Number(p.slice(MARKER.length));
          seen.add(index);
          return { value: index };
        }
        return { constant: p };
      });
      // Every value must reach the SQL as a parameter; one Kysely inlined or dropped would
      // silently go missing from every later call.
      for (let i = 0; i < valueCount; i++) {
        if (!seen.has(i)) throw new Error(`batch statement: value ${i} is not a parameter`);
      }
      if (seen.size !== valueCount) {
        throw new Error(`batch statement: the builder used values past ${valueCount}`);
      }
      compiled = { sql: query.sql, slots };
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }
}
