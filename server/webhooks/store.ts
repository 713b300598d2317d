import { sql } from "kysely";
import type { Logger } from "pino";
import { skipLockedOnPostgres } from "../db/dialects/index.ts";
import type { Random } from "../deps.ts";
import { ConversionError } from "../versions/conversion-error.ts";
import { BatchStatement } from "./batch-statement.ts";
import { alertUnrendered } from "./conversion-alert.ts";
import { renderEventBody, subscribes } from "./envelope.ts";
import { deliveryIds } from "./ids.ts";
import { type OriginRoom, OriginTally } from "./origin.ts";
import type { DeliveryStatus, WebhookDb } from "./tables.ts";

/**
 * The worker's database steps. Each is one short transaction: on SQLite it holds the write lock
 * from its start (openSqlite begins every transaction immediate), so its reads and writes see
 * one state; on PostgreSQL the selects that pick rows add `FOR UPDATE SKIP LOCKED`, so
 * concurrent workers take disjoint rows instead of queueing on the same ones.
 *
 * Per delivery the common path writes the delivery row twice (created already leased to the
 * worker that fans it out, then settled) and its attempt row once (when the attempt finished).
 * An attempt number is taken by incrementing `attempt_count` under the lease; the attempt row
 * of an attempt whose worker died before recording it is written by the worker that takes the
 * delivery over (see claimIn), so every number taken still has its row.
 */

export const iso = (d: Date): string => d.toISOString();

const INSERT_CHUNK = 50;
const RECORD_CHUNK = 100;
const FAN_OUT_BATCH = 500;

// The hot statements, compiled once per batch size (batch-statement.ts).

/** Takes up to `limit` undispatched events, oldest first: values [dispatched_at, limit]. */
const takeEvents = new BatchStatement((db, v) =>
  db
    .updateTable("events")
    .set({ dispatched_at: v(0) })
    .where("seq", "in", (eb) =>
      eb
        .selectFrom("events")
        .select("seq")
        .where("dispatched_at", "is", null)
        .orderBy("seq")
        .limit(v(1))
        .$call((qb) => skipLockedOnPostgres(db, qb)),
    )
    .returning(["seq", "id", "integration_id", "type", "data", "created_at"]),
);

const PAYLOAD_COLUMNS = ["event_seq", "api_version", "event_id", "body", "created_at"] as const;
const insertPayloads = new BatchStatement((db, v, n) =>
  db
    .insertInto("webhook_payloads")
    .values(rowsOf(PAYLOAD_COLUMNS, v, n))
    .onConflict((oc) => oc.doNothing()),
);

const DELIVERY_COLUMNS = [
  "id",
  "integration_id",
  "event_id",
  "event_seq",
  "event_type",
  "endpoint_id",
  "api_version",
  "status",
  "attempt_count",
  "retry_base",
  "next_attempt_at",
  "lease_owner",
  "lease_expires_at",
  "dead_lettered_at",
  "created_at",
  "updated_at",
] as const;
const insertDeliveries = new BatchStatement((db, v, n) =>
  db.insertInto("webhook_deliveries").values(rowsOf(DELIVERY_COLUMNS, v, n)),
);

const ATTEMPT_COLUMNS = [
  "delivery_id",
  "attempt_number",
  "worker_id",
  "attempted_at",
  "completed_at",
  "status_code",
  "duration_ms",
  "error",
  "response_snippet",
] as const;
const upsertAttempts = new BatchStatement((db, v, n) =>
  db
    .insertInto("webhook_attempts")
    .values(rowsOf(ATTEMPT_COLUMNS, v, n))
    // The row exists when another worker took the delivery over after this lease expired.
    .onConflict((oc) =>
      oc.columns(["delivery_id", "attempt_number"]).doUpdateSet((eb) => ({
        attempted_at: eb.ref("excluded.attempted_at"),
        completed_at: eb.ref("excluded.completed_at"),
        status_code: eb.ref("excluded.status_code"),
        duration_ms: eb.ref("excluded.duration_ms"),
        error: eb.ref("excluded.error"),
        response_snippet: eb.ref("excluded.response_snippet"),
      })),
    ),
);

/** Settles `n` succeeded deliveries still leased to a worker: values [updated_at, worker, ...ids]. */
const settleSucceeded = new BatchStatement((db, v, n) =>
  db
    .updateTable("webhook_deliveries")
    .set({
      status: "succeeded",
      next_attempt_at: null,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: v(0),
    })
    .where(
      "id",
      "in",
      Array.from({ length: n }, (_, i) => v(i + 2)),
    )
    .where("lease_owner", "=", v(1)),
);

/** `n` rows of markers for a multi-row insert; the values go row by row, in column order. */
function rowsOf<C extends string>(
  columns: readonly C[],
  v: (i: number) => never,
  n: number,
): Record<C, never>[] {
  return Array.from({ length: n }, (_, r) => {
    const row = {} as Record<C, never>;
    columns.forEach((c, i) => {
      row[c] = v(r * columns.length + i);
    });
    return row;
  });
}

/** Runs a multi-row statement over `rows` in chunks of at most `chunk`. */
async function insertRows<C extends string>(
  db: WebhookDb,
  statement: BatchStatement,
  columns: readonly C[],
  rows: readonly Record<C, unknown>[],
  chunk: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values: unknown[] = [];
    for (const row of part) for (const c of columns) values.push(row[c]);
    await statement.execute(db, part.length, values);
  }
}

/**
 * Marks up to `limit` undispatched events as dispatched and, in the same transaction, creates a
 * delivery for every enabled endpoint of the event's integration that subscribes to its type.
 * Returns how many events it took.
 */
export function fanOutEvents(
  db: WebhookDb,
  now: Date,
  random: Random,
  limit: number,
  checkBodies = true,
): Promise<number> {
  return db
    .transaction()
    .execute(
      async (trx) => (await fanOutIn(trx, now, random, limit, undefined, checkBodies)).fanned,
    );
}

/** Deliveries a fan-out creates already leased to the worker that runs it. */
export interface FanOutLease {
  workerId: string;
  leaseMs: number;
  /** At most this many of the new deliveries are leased; the rest are left pending. */
  limit: number;
  /**
   * Room per origin: a new delivery to an origin without room is left pending (due now), for a
   * claim to take once that origin's attempts finish.
   */
  tally?: OriginTally;
}

/**
 * An event whose body could not be rendered in its integration's pinned version: nothing was
 * signed or sent, and its deliveries were created dead-lettered (docs/webhooks.md). Plain
 * values, for the alert the worker's store logs (it may run on another thread).
 */
export interface UnrenderedEvent {
  event_id: string;
  event_type: string;
  integration: string;
  deliveries: string[];
  /** ConversionError.logFields(): version, schema, pointer, version change, reason. */
  conversion: Record<string, string | undefined>;
}

export interface FanOutResult {
  /** Events taken. */
  fanned: number;
  /** Events not rendered, each dead-lettered at once (empty on the common path). */
  unrendered: UnrenderedEvent[];
  /** New deliveries leased to `lease.workerId`, attempt 1 taken, with their bodies. */
  claimed: ClaimedDelivery[];
  /** The endpoints of `claimed`. */
  targets: EndpointTarget[];
}

/**
 * fanOutEvents inside the caller's transaction. With `lease`, up to `lease.limit` of the new
 * deliveries are created claimed by that worker (as claimIn would leave them: leased, attempt 1
 * taken), so a worker that fans out an event sends it without claiming and re-reading it.
 */
export async function fanOutIn(
  trx: WebhookDb,
  now: Date,
  random: Random,
  limit: number,
  lease?: FanOutLease,
  /** Validate the rendered bodies (`WebhookSettings.checkBodies`; outside production). */
  checkBodies = true,
): Promise<FanOutResult> {
  const at = iso(now);
  const events = (await takeEvents.execute(trx, 1, [at, limit])).rows as Array<{
    seq: number;
    id: string;
    integration_id: string;
    type: string;
    data: string;
    created_at: string;
  }>;
  if (events.length === 0) return { fanned: 0, unrendered: [], claimed: [], targets: [] };

  const integrationIds = [...new Set(events.map((e) => e.integration_id))];
  const [endpoints, integrations] = await Promise.all([
    trx
      .selectFrom("webhook_endpoints")
      .select([
        "id",
        "integration_id",
        "enabled_events",
        "url",
        "secret_sealed",
        "previous_secret_sealed",
        "previous_secret_expires_at",
      ])
      .where("integration_id", "in", integrationIds)
      .where("status", "=", "enabled")
      .execute(),
    trx
      .selectFrom("integrations")
      .select(["id", "api_version"])
      .where("id", "in", integrationIds)
      .execute(),
  ]);
  const versionOf = new Map(integrations.map((i) => [i.id, i.api_version]));
  const byIntegration = new Map<string, { id: string; events: string[] }[]>();
  for (const ep of endpoints) {
    const list = byIntegration.get(ep.integration_id) ?? [];
    list.push({ id: ep.id, events: JSON.parse(ep.enabled_events) as string[] });
    byIntegration.set(ep.integration_id, list);
  }

  const planned: Array<{
    event: (typeof events)[number];
    endpointId: string;
    apiVersion: string;
    body: string;
  }> = [];
  const payloads = [];
  const failed: Array<{
    event: (typeof events)[number];
    endpointIds: string[];
    apiVersion: string;
    error: ConversionError;
  }> = [];
  for (const event of events) {
    const targets = (byIntegration.get(event.integration_id) ?? []).filter((ep) =>
      subscribes(ep.events, event.type),
    );
    if (targets.length === 0) continue;
    const apiVersion = versionOf.get(event.integration_id);
    if (apiVersion === undefined) continue; // integration deleted since; nothing to deliver to
    let body: string;
    try {
      body = renderEventBody(event, apiVersion, checkBodies);
    } catch (e) {
      // Rendering is deterministic: retrying the same code would fail the same way, so the
      // deliveries are dead-lettered at once, unsigned and unsent, and recovered once fixed.
      if (!(e instanceof ConversionError)) throw e;
      failed.push({ event, endpointIds: targets.map((ep) => ep.id), apiVersion, error: e });
      continue;
    }
    payloads.push({
      event_seq: event.seq,
      api_version: apiVersion,
      event_id: event.id,
      body,
      created_at: at,
    });
    for (const ep of targets) planned.push({ event, endpointId: ep.id, apiVersion, body });
  }
  const ids = deliveryIds(random, now, planned.length);
  const leaseLimit = lease === undefined ? 0 : lease.limit;
  const leaseExpiresAt = lease === undefined ? null : iso(new Date(now.getTime() + lease.leaseMs));
  const urlOf = new Map(endpoints.map((ep) => [ep.id, ep.url]));
  const claimed: ClaimedDelivery[] = [];
  const claimedEndpoints = new Set<string>();
  const rows = planned.map((p, i) => {
    const row = newDeliveryRow(
      ids[i] as string,
      p.event,
      p.endpointId,
      p.event.integration_id,
      p.apiVersion,
      at,
    );
    if (
      lease !== undefined &&
      claimed.length < leaseLimit &&
      (lease.tally?.take(urlOf.get(p.endpointId) ?? "") ?? true)
    ) {
      row.lease_owner = lease.workerId;
      row.lease_expires_at = leaseExpiresAt;
      row.attempt_count = 1;
      claimed.push({
        id: row.id,
        event_id: row.event_id,
        endpoint_id: row.endpoint_id,
        body: p.body,
        attempt_number: 1,
        attempt_in_cycle: 1,
      });
      claimedEndpoints.add(row.endpoint_id);
    }
    return row;
  });
  const unrendered: UnrenderedEvent[] = [];
  const deadRows: DeliveryInsert[] = [];
  for (const f of failed) {
    const deadIds = deliveryIds(random, now, f.endpointIds.length);
    f.endpointIds.forEach((endpointId, i) => {
      const row = newDeliveryRow(
        deadIds[i] as string,
        f.event,
        endpointId,
        f.event.integration_id,
        f.apiVersion,
        at,
      );
      row.status = "dead_lettered";
      row.next_attempt_at = null;
      row.dead_lettered_at = at;
      deadRows.push(row);
    });
    unrendered.push({
      event_id: f.event.id,
      event_type: f.event.type,
      integration: f.event.integration_id,
      deliveries: deadIds,
      conversion: f.error.logFields(),
    });
  }
  await insertRows(trx, insertPayloads, PAYLOAD_COLUMNS, payloads, INSERT_CHUNK);
  await insertRows(trx, insertDeliveries, DELIVERY_COLUMNS, rows.concat(deadRows), INSERT_CHUNK);
  const targets = endpoints
    .filter((ep) => claimedEndpoints.has(ep.id))
    .map((ep) => ({
      id: ep.id,
      url: ep.url,
      secret_sealed: ep.secret_sealed,
      previous_secret_sealed: ep.previous_secret_sealed,
      previous_secret_expires_at: ep.previous_secret_expires_at,
    }));
  return { fanned: events.length, unrendered, claimed, targets };
}

export type DeliveryInsert = ReturnType<typeof newDeliveryRow>;

export function newDeliveryRow(
  id: string,
  event: { id: string; seq: number; type: string },
  endpointId: string,
  integrationId: string,
  apiVersion: string,
  at: string,
) {
  return {
    id,
    integration_id: integrationId,
    event_id: event.id,
    event_seq: event.seq as number | null,
    event_type: event.type,
    endpoint_id: endpointId,
    api_version: apiVersion,
    status: "pending" as DeliveryStatus,
    attempt_count: 0,
    retry_base: 0,
    next_attempt_at: at as string | null,
    lease_owner: null as string | null,
    lease_expires_at: null as string | null,
    dead_lettered_at: null as string | null,
    created_at: at,
    updated_at: at,
  };
}

export interface ClaimedDelivery {
  id: string;
  event_id: string;
  endpoint_id: string;
  body: string;
  /** The number of the attempt this claim may send (1-based). */
  attempt_number: number;
  /** Position in the retry schedule (1-based); recovery starts a new cycle. */
  attempt_in_cycle: number;
}

/** Pages of due deliveries a claim reads at most while skipping saturated origins. */
const MAX_DUE_PAGES = 8;

type DueRow = {
  id: string;
  seq: number;
  event_id: string;
  event_seq: number | null;
  endpoint_id: string;
  api_version: string;
  attempt_count: number;
  retry_base: number;
  lease_owner: string | null;
  updated_at: string;
  next_attempt_at: string | null;
};

/**
 * Up to `limit` due deliveries of enabled endpoints whose origin has room in `tally`, oldest due
 * first. A delivery of a saturated origin is skipped, not taken: it stays due, keeps its
 * next_attempt_at, and so comes first again once its origin has room. The skipped deliveries'
 * endpoints are left out of the next page, which starts after the last row read, so a long queue
 * to one slow origin costs one page per pass rather than hiding everything due behind it.
 */
async function pickDue(
  trx: WebhookDb,
  at: string,
  limit: number,
  tally: OriginTally,
): Promise<DueRow[]> {
  const picked: DueRow[] = [];
  const saturated = new Set<string>();
  const urls = new Map<string, string>();
  let after: { at: string; seq: number } | null = null;
  for (let page = 0; page < MAX_DUE_PAGES && picked.length < limit; page++) {
    const from = after;
    const asked = limit - picked.length;
    const rows: DueRow[] = await trx
      .selectFrom("webhook_deliveries as d")
      .select([
        "d.id",
        "d.seq",
        "d.event_id",
        "d.event_seq",
        "d.endpoint_id",
        "d.api_version",
        "d.attempt_count",
        "d.retry_base",
        "d.lease_owner",
        "d.updated_at",
        "d.next_attempt_at",
      ])
      .where("d.status", "in", ["pending", "retrying"])
      .where("d.next_attempt_at", "<=", at)
      .where((w) => w.or([w("d.lease_expires_at", "is", null), w("d.lease_expires_at", "<", at)]))
      .where("d.endpoint_id", "in", (s) =>
        s.selectFrom("webhook_endpoints").select("id").where("status", "=", "enabled"),
      )
      .$if(saturated.size > 0, (qb) => qb.where("d.endpoint_id", "not in", [...saturated]))
      .$if(from !== null, (qb) =>
        qb.where((w) =>
          w.or([
            w("d.next_attempt_at", ">", from?.at ?? ""),
            w.and([w("d.next_attempt_at", "=", from?.at ?? ""), w("d.seq", ">", from?.seq ?? 0)]),
          ]),
        ),
      )
      .orderBy("d.next_attempt_at")
      .orderBy("d.seq")
      .limit(asked)
      .$call((qb) => skipLockedOnPostgres(trx, qb))
      .execute();
    if (rows.length === 0) break;
    const unknown = [...new Set(rows.map((r) => r.endpoint_id))].filter((id) => !urls.has(id));
    if (unknown.length > 0) {
      const found = await trx
        .selectFrom("webhook_endpoints")
        .select(["id", "url"])
        .where("id", "in", unknown)
        .execute();
      for (const e of found) urls.set(e.id, e.url);
    }
    for (const row of rows) {
      if (saturated.has(row.endpoint_id)) continue;
      if (tally.take(urls.get(row.endpoint_id) ?? "")) picked.push(row);
      else saturated.add(row.endpoint_id);
    }
    // A short page: nothing more is due (and with nothing skipped, a full page filled the room).
    if (rows.length < asked) break;
    const last = rows[rows.length - 1] as DueRow;
    after = { at: last.next_attempt_at ?? "", seq: last.seq };
  }
  return picked;
}

/**
 * Leases up to `limit` due deliveries of enabled endpoints to `workerId` and takes the next
 * attempt number of each (`attempt_count + 1`). A delivery whose lease has expired (its worker
 * died, or could not record in time) is due again; its unfinished attempt keeps its number, and
 * this claim writes that attempt's row — in flight, never completed, under the worker that held
 * the lease — so the retry uses the next number and the history shows the lost attempt.
 */
export function claimDeliveries(
  db: WebhookDb,
  workerId: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  return db.transaction().execute((trx) => claimIn(trx, workerId, now, leaseMs, limit));
}

/** claimDeliveries inside the caller's transaction. */
export async function claimIn(
  trx: WebhookDb,
  workerId: string,
  now: Date,
  leaseMs: number,
  limit: number,
  tally?: OriginTally,
): Promise<ClaimedDelivery[]> {
  const at = iso(now);
  const due = await pickDue(trx, at, limit, tally ?? new OriginTally(undefined));
  if (due.length === 0) return [];
  const ids = due.map((d) => d.id);
  for (let i = 0; i < ids.length; i += RECORD_CHUNK) {
    await trx
      .updateTable("webhook_deliveries")
      .set({
        lease_owner: workerId,
        lease_expires_at: iso(new Date(now.getTime() + leaseMs)),
        attempt_count: sql<number>`attempt_count + 1`,
        updated_at: at,
      })
      .where("id", "in", ids.slice(i, i + RECORD_CHUNK))
      .execute();
  }
  // Taken over: the previous holder's attempt (number attempt_count, claimed at updated_at) was
  // sent or not, but never recorded. Its row stays open; if that worker still records it late,
  // its result fills the row (recordIn upserts).
  const lost = due
    .filter((d) => d.lease_owner !== null && d.attempt_count > 0)
    .map((d) => ({
      delivery_id: d.id,
      attempt_number: d.attempt_count,
      worker_id: d.lease_owner as string,
      attempted_at: d.updated_at,
      completed_at: null,
      status_code: null,
      duration_ms: null,
      error: null,
      response_snippet: null,
    }));
  for (let i = 0; i < lost.length; i += INSERT_CHUNK) {
    await trx
      .insertInto("webhook_attempts")
      .values(lost.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const seqs = [...new Set(due.map((d) => d.event_seq).filter((q) => q !== null))];
  const bodies = new Map(
    seqs.length === 0
      ? []
      : (
          await trx
            .selectFrom("webhook_payloads")
            .select(["event_seq", "api_version", "body"])
            .where("event_seq", "in", seqs)
            .execute()
        ).map((p) => [`${p.event_seq} ${p.api_version}`, p.body]),
  );
  return due.map((d) => ({
    id: d.id,
    event_id: d.event_id,
    endpoint_id: d.endpoint_id,
    body: bodies.get(`${d.event_seq} ${d.api_version}`) ?? "",
    attempt_number: d.attempt_count + 1,
    attempt_in_cycle: d.attempt_count + 1 - d.retry_base,
  }));
}

export interface AttemptRecord {
  deliveryId: string;
  attemptNumber: number;
  /** When the request was started. */
  attemptedAt: string;
  completedAt: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  snippet: string | null;
  /** The delivery's state after this attempt. */
  next: { status: DeliveryStatus; nextAttemptAt: string | null };
  /** Set when the receiver answered 410: the endpoint is disabled as `endpoint_gone`. */
  disableEndpointId: string | null;
}

/**
 * Writes finished attempts and the resulting delivery states. Set-based, so a batch costs a few
 * statements: one upsert of the attempts, one update for all successes, one per failure. A
 * delivery only moves while this worker still holds its lease, so a worker whose lease expired
 * mid-attempt cannot overwrite the state left by the worker that took over (the lease outlives
 * the attempt timeout, and a worker never claims a delivery it is still attempting).
 */
export function recordAttempts(
  db: WebhookDb,
  workerId: string,
  records: readonly AttemptRecord[],
): Promise<void> {
  if (records.length === 0) return Promise.resolve();
  return db.transaction().execute((trx) => recordIn(trx, workerId, records));
}

/** recordAttempts inside the caller's transaction. */
export async function recordIn(
  trx: WebhookDb,
  workerId: string,
  records: readonly AttemptRecord[],
): Promise<void> {
  for (let i = 0; i < records.length; i += RECORD_CHUNK) {
    const chunk = records.slice(i, i + RECORD_CHUNK);
    const attempts: unknown[] = [];
    for (const r of chunk) {
      attempts.push(
        r.deliveryId,
        r.attemptNumber,
        workerId,
        r.attemptedAt,
        r.completedAt,
        r.statusCode,
        r.durationMs,
        r.error,
        r.snippet,
      );
    }
    await upsertAttempts.execute(trx, chunk.length, attempts);
    const succeeded = chunk.filter((r) => r.next.status === "succeeded");
    if (succeeded.length > 0) {
      const at = succeeded[succeeded.length - 1]?.completedAt ?? "";
      await settleSucceeded.execute(trx, succeeded.length, [
        at,
        workerId,
        ...succeeded.map((r) => r.deliveryId),
      ]);
    }
    for (const r of chunk) {
      if (r.next.status === "succeeded") continue;
      await trx
        .updateTable("webhook_deliveries")
        .set({
          status: r.next.status,
          next_attempt_at: r.next.nextAttemptAt,
          dead_lettered_at: r.next.status === "dead_lettered" ? r.completedAt : null,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: r.completedAt,
        })
        .where("id", "=", r.deliveryId)
        .where("lease_owner", "=", workerId)
        .execute();
      if (r.disableEndpointId !== null) {
        await trx
          .updateTable("webhook_endpoints")
          .set({ status: "disabled", disabled_reason: "endpoint_gone", updated_at: r.completedAt })
          .where("id", "=", r.disableEndpointId)
          .where("status", "=", "enabled")
          .execute();
      }
    }
  }
}

export interface EndpointTarget {
  id: string;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: string | null;
}

export async function loadTargets(
  db: WebhookDb,
  ids: readonly string[],
): Promise<EndpointTarget[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("webhook_endpoints")
    .select(["id", "url", "secret_sealed", "previous_secret_sealed", "previous_secret_expires_at"])
    .where("id", "in", [...new Set(ids)])
    .execute();
}

/** One worker pass, in values only, so it can run on another thread's connection. */
export interface PassInput {
  workerId: string;
  /** The worker's clock, in epoch ms (a pass on another thread still keeps the injected time). */
  now: number;
  leaseMs: number;
  /** Finished attempts to record. */
  records: readonly AttemptRecord[];
  /** Deliveries to take at most; 0 only records. */
  limit: number;
  /** Look for due deliveries (retries, replays, leases expired) before new events. */
  claimDue: boolean;
  /** The worker's attempts per origin and their limit; without it, origins are not limited. */
  origins?: OriginRoom;
  /** Validate bodies rendered by the fan-out (`WebhookSettings.checkBodies`). */
  checkBodies: boolean;
}

export interface PassResult {
  /** Events fanned out. */
  fanned: number;
  /** Deliveries leased to the worker, to send now. */
  claimed: ClaimedDelivery[];
  /** The endpoints of `claimed`. */
  targets: EndpointTarget[];
  /** Events fanned out whose bodies could not be rendered (dead-lettered; to be alerted on). */
  unrendered: UnrenderedEvent[];
  /** The due deliveries may have filled the room: look again at once. */
  moreDue: boolean;
  /** Events may be waiting: fan out again at once. */
  moreEvents: boolean;
}

/**
 * Where a worker runs its passes: on a connection of this thread (`localPassStore`), or on a
 * thread of its own (store-thread.ts), so the database work does not hold up the sending.
 */
export interface PassStore {
  pass(input: PassInput): Promise<PassResult>;
  /** Resolves once passes can run (a thread's connection open); absent when at once. */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Passes on `db`, in this thread. Closing it leaves `db` open (its owner closes it). With a
 * logger, events that could not be rendered are alerted on, as the store thread does.
 */
export function localPassStore(db: WebhookDb, random: Random, logger?: Logger): PassStore {
  return {
    async pass(input) {
      const result = await runPass(db, random, input);
      if (logger !== undefined) alertUnrendered(logger, result.unrendered);
      return result;
    },
    close: async () => {},
  };
}

/**
 * A worker's pass, in one transaction (one commit): record the finished attempts, then take up
 * to `limit` deliveries — due ones first when `claimDue` (oldest due first, so retries are not
 * starved by new events), then new events fanned out already leased to the worker.
 */
export function runPass(db: WebhookDb, random: Random, input: PassInput): Promise<PassResult> {
  return db.transaction().execute((trx) => passIn(trx, random, input));
}

async function passIn(trx: WebhookDb, random: Random, input: PassInput): Promise<PassResult> {
  const { workerId, leaseMs, records, limit, claimDue } = input;
  if (records.length > 0) await recordIn(trx, workerId, records);
  const nothing = {
    fanned: 0,
    claimed: [],
    targets: [],
    unrendered: [],
    moreDue: false,
    moreEvents: false,
  };
  if (limit <= 0) return nothing;
  const now = new Date(input.now);
  const tally = new OriginTally(input.origins);
  const due = claimDue ? await claimIn(trx, workerId, now, leaseMs, limit, tally) : [];
  const room = limit - due.length;
  const events = Math.min(room, FAN_OUT_BATCH);
  const fan =
    events > 0
      ? await fanOutIn(
          trx,
          now,
          random,
          events,
          { workerId, leaseMs, limit: room, tally },
          input.checkBodies,
        )
      : { fanned: 0, unrendered: [], claimed: [], targets: [] };
  const known = new Set(fan.targets.map((t) => t.id));
  const targets = fan.targets.concat(
    await loadTargets(
      trx,
      due.map((c) => c.endpoint_id).filter((id) => !known.has(id)),
    ),
  );
  return {
    fanned: fan.fanned,
    claimed: due.concat(fan.claimed),
    targets,
    unrendered: fan.unrendered,
    moreDue: claimDue && room === 0,
    // Events not looked at for want of room may be waiting too.
    moreEvents: room === 0 || fan.fanned === events,
  };
}
