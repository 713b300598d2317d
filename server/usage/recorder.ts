/**
 * Per-integration usage: requests per operationId and UTC day, and when each API key was last
 * used. The request path only increments a counter in memory; a timer writes the counts in one
 * transaction of upserts (`count = count + n`), so several instances sharing a database add up,
 * and deletes days older than the retention once per day.
 */
import { type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import type { Database } from "../db/schema.ts";

export const USAGE_RETENTION_DAYS = 30;

export interface UsageRecorder {
  /** Counts one request; cheap (a map increment), never touches the database. */
  record(integrationId: string, apiKeyId: string | undefined, operationId: string): void;
  /** Writes what was counted so far (and prunes, once per day). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  stop(): Promise<void>;
}

export interface UsageRecorderOptions {
  db: Kysely<Database>;
  /** The app's clock (deps.ts's Clock; not imported, as deps.ts imports this file). */
  clock: { now(): Date };
  logger: Logger;
  /** How often counts are written; 0 writes only on flush() / stop(). */
  flushMs: number;
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first day still kept on `today`: the last USAGE_RETENTION_DAYS days, today included. */
export function firstKeptDay(today: Date): string {
  return dayOf(new Date(today.getTime() - (USAGE_RETENTION_DAYS - 1) * 86_400_000));
}

const ROWS_PER_STATEMENT = 200;

export function createUsageRecorder(opts: UsageRecorderOptions): UsageRecorder {
  // "integration\0operation\0day" → count; a key can hold no NUL, so the split is exact.
  let counts = new Map<string, number>();
  let lastUsed = new Map<string, string>();
  let prunedOn: string | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    const batch = counts;
    const keys = lastUsed;
    counts = new Map();
    lastUsed = new Map();
    const today = dayOf(opts.clock.now());
    const prune = prunedOn !== today;
    if (batch.size === 0 && keys.size === 0 && !prune) return;
    const rows = [...batch].map(([k, count]) => {
      const [integration_id = "", operation_id = "", day = ""] = k.split("\0");
      return { integration_id, operation_id, day, count };
    });
    await opts.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await trx
          .insertInto("usage_counts")
          .values(rows.slice(i, i + ROWS_PER_STATEMENT))
          .onConflict((oc) =>
            oc.columns(["integration_id", "operation_id", "day"]).doUpdateSet({
              count: sql<number>`usage_counts.count + excluded.count`,
            }),
          )
          .execute();
      }
      for (const [id, at] of keys) {
        await trx
          .updateTable("api_keys")
          .set({ last_used_at: at })
          .where("id", "=", id)
          .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", at)]))
          .execute();
      }
      if (prune) {
        await trx
          .deleteFrom("usage_counts")
          .where("day", "<", firstKeptDay(opts.clock.now()))
          .execute();
      }
    });
    if (prune) prunedOn = today;
  };

  const flush = (): Promise<void> => {
    // One write at a time, in order; a failed write is logged and its counts are lost, rather
    // than retried forever against a database that is down.
    writing = writing.then(write).catch((err: unknown) => {
      opts.logger.warn({ err }, "writing usage counts failed");
    });
    return writing;
  };

  const timer = opts.flushMs > 0 ? setInterval(() => void flush(), opts.flushMs) : undefined;
  timer?.unref();

  return {
    record(integrationId, apiKeyId, operationId) {
      const at = opts.clock.now().toISOString();
      const k = `${integrationId}\0${operationId}\0${at.slice(0, 10)}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      if (apiKeyId !== undefined) lastUsed.set(apiKeyId, at);
    },
    flush,
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      await flush();
    },
  };
}

/** The operationIds an integration called from `since` (a day, inclusive) on. */
export async function operationsUsedSince(
  db: Kysely<Database>,
  integrationId: string,
  since: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("usage_counts")
    .select(["operation_id", (eb) => eb.fn.sum<number | string>("count").as("total")])
    .where("integration_id", "=", integrationId)
    .where("day", ">=", since)
    .groupBy("operation_id")
    .execute();
  return new Map(rows.map((r) => [r.operation_id, Number(r.total)]));
}
