import type { Selectable } from "kysely";
import type { components } from "../../generated/newest.ts";
import type { Clock, Random } from "../deps.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { findEndpoint } from "./endpoints.ts";
import { renderEventBody } from "./envelope.ts";
import { deliveryIds } from "./ids.ts";
import { newDeliveryRow } from "./store.ts";
import type { WebhookDb, WebhookDeliveriesTable } from "./tables.ts";

/**
 * Deliveries as the API shows them, replay and dead-letter recovery. A delivery's `attempts`
 * lists finished attempts (one a crashed worker never finished is not shown, but its number
 * stays taken).
 */
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** A delivery and one of its attempts as the newest document shows them. */
export type WebhookDelivery = components["schemas"]["WebhookDelivery"];
export type AttemptView = components["schemas"]["WebhookAttempt"];
type EventType = components["schemas"]["EventType"];

export async function attemptsOf(
  db: WebhookDb,
  deliveryIds: readonly string[],
): Promise<Map<string, AttemptView[]>> {
  const byDelivery = new Map<string, AttemptView[]>();
  if (deliveryIds.length === 0) return byDelivery;
  const rows = await db
    .selectFrom("webhook_attempts")
    .selectAll()
    .where("delivery_id", "in", [...deliveryIds])
    .where("completed_at", "is not", null)
    .orderBy("delivery_id")
    .orderBy("attempt_number")
    .execute();
  for (const r of rows) {
    const list = byDelivery.get(r.delivery_id) ?? [];
    list.push({
      attempted_at: r.attempted_at,
      status_code: r.status_code,
      duration_ms: r.duration_ms ?? 0,
      // The worker records only ATTEMPT_ERRORS (attempt-error.ts), the document's failure reasons.
      error: r.error as AttemptView["error"],
      response_snippet: r.response_snippet,
    });
    byDelivery.set(r.delivery_id, list);
  }
  return byDelivery;
}

export function deliveryFromRow(row: DeliveryRow, attempts: AttemptView[]): WebhookDelivery {
  return {
    id: row.id,
    object: "webhook_delivery",
    event: row.event_id,
    // Copied from the event, whose type is one of the document's (server/events/outbox.ts).
    event_type: row.event_type as EventType,
    webhook_endpoint: row.endpoint_id,
    status: row.status,
    attempt_count: attempts.length,
    next_attempt_at:
      row.status === "pending" || row.status === "retrying" ? row.next_attempt_at : null,
    attempts,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function findDelivery(
  db: WebhookDb,
  integrationId: string,
  id: string,
): Promise<DeliveryRow> {
  const row = await db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("id", "=", id)
    .where("integration_id", "=", integrationId)
    .executeTakeFirst();
  if (row === undefined) throw notFound("delivery_id", id, "webhook delivery");
  return row;
}

export interface ReplayDeps {
  db: WebhookDb;
  clock: Clock;
  random: Random;
  /** Check a body rendered now against its version's document (`WebhookSettings.checkBodies`). */
  checkBodies?: boolean;
}

/**
 * Queues a new delivery of `eventId` to `endpointId`, due now. Its body is the bytes an earlier
 * delivery of the event at the same version carried, so a replay is byte-identical (only the
 * signature's timestamp is fresh); an event never delivered at that version is rendered now.
 */
export async function replayEvent(
  deps: ReplayDeps,
  integration: { id: string; api_version: string },
  eventId: string,
  endpointId: string,
): Promise<DeliveryRow> {
  return deps.db.transaction().execute(async (trx) => {
    const event = await trx
      .selectFrom("events")
      .select(["seq", "id", "type", "data", "created_at"])
      .where("id", "=", eventId)
      .where("integration_id", "=", integration.id)
      .executeTakeFirst();
    if (event === undefined) throw notFound("event_id", eventId, "event");
    const endpoint = await findEndpoint(trx, integration.id, endpointId, "webhook_endpoint");
    if (endpoint.status !== "enabled") {
      throw new ApiError(
        "webhook_endpoint_disabled",
        `Webhook endpoint ${endpoint.id} is disabled; enable it before replaying to it.`,
        "webhook_endpoint",
      );
    }
    const at = deps.clock.now();
    const now = at.toISOString();
    // Keeps the bytes of any earlier delivery of this event at this version.
    await trx
      .insertInto("webhook_payloads")
      .values({
        event_seq: event.seq,
        api_version: integration.api_version,
        event_id: event.id,
        body: renderEventBody(event, integration.api_version, deps.checkBodies ?? true),
        created_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const [id] = deliveryIds(deps.random, at, 1);
    const row = newDeliveryRow(
      id as string,
      event,
      endpoint.id,
      integration.id,
      integration.api_version,
      now,
    );
    await trx.insertInto("webhook_deliveries").values(row).execute();
    return trx
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
  });
}

/**
 * Re-queues dead letters of an endpoint — one (`delivery`), those dead-lettered at or after
 * `since`, or all — with a fresh retry schedule. They keep their id, payload and attempt history.
 * One dead-lettered because its body could not be rendered has no payload: it is rendered now,
 * and if that still fails the whole recovery is refused (500 version_conversion_failed).
 */
export async function recoverDeadLetters(
  deps: ReplayDeps,
  integrationId: string,
  endpointId: string,
  filter: { delivery?: string; since?: string },
): Promise<string[]> {
  return deps.db.transaction().execute(async (trx) => {
    const endpoint = await findEndpoint(trx, integrationId, endpointId);
    if (endpoint.status !== "enabled") {
      throw new ApiError(
        "webhook_endpoint_disabled",
        `Webhook endpoint ${endpoint.id} is disabled; enable it before recovering its dead letters.`,
      );
    }
    let q = trx
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("endpoint_id", "=", endpoint.id)
      .where("status", "=", "dead_lettered");
    if (filter.delivery !== undefined) {
      const one = await trx
        .selectFrom("webhook_deliveries")
        .select(["id", "status"])
        .where("id", "=", filter.delivery)
        .where("endpoint_id", "=", endpoint.id)
        .executeTakeFirst();
      if (one === undefined)
        throw notFound("delivery", filter.delivery, "dead letter of this endpoint");
      q = q.where("id", "=", filter.delivery);
    }
    if (filter.since !== undefined) q = q.where("dead_lettered_at", ">=", filter.since);
    const ids = (await q.orderBy("seq").execute()).map((r) => r.id);
    const now = deps.clock.now().toISOString();
    await renderMissingPayloads(trx, ids, now, deps.checkBodies ?? true);
    for (let i = 0; i < ids.length; i += 500) {
      await trx
        .updateTable("webhook_deliveries")
        .set((eb) => ({
          status: "pending",
          next_attempt_at: now,
          retry_base: eb.ref("attempt_count"),
          dead_lettered_at: null,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: now,
        }))
        .where("id", "in", ids.slice(i, i + 500))
        .where("status", "=", "dead_lettered")
        .execute();
    }
    return ids;
  });
}

/**
 * Renders, at the delivery's version, the body of each of `ids` that has none: deliveries that
 * were dead-lettered because their conversion failed (store.ts fanOutIn). A conversion that
 * still fails throws a ConversionError, and the caller's transaction rolls back.
 */
async function renderMissingPayloads(
  trx: WebhookDb,
  ids: readonly string[],
  now: string,
  checkBodies: boolean,
) {
  for (let i = 0; i < ids.length; i += 500) {
    const missing = await trx
      .selectFrom("webhook_deliveries as d")
      .innerJoin("events as e", "e.seq", "d.event_seq")
      .leftJoin("webhook_payloads as p", (join) =>
        join.onRef("p.event_seq", "=", "d.event_seq").onRef("p.api_version", "=", "d.api_version"),
      )
      .select(["e.seq", "e.id", "e.type", "e.data", "e.created_at", "d.api_version"])
      .where("d.id", "in", ids.slice(i, i + 500))
      .where("p.event_seq", "is", null)
      .execute();
    const seen = new Set<string>();
    for (const event of missing) {
      const key = `${event.seq} ${event.api_version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await trx
        .insertInto("webhook_payloads")
        .values({
          event_seq: event.seq,
          api_version: event.api_version,
          event_id: event.id,
          body: renderEventBody(event, event.api_version, checkBodies),
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}
