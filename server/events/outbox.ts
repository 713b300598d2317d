/**
 * The outbox: every domain change writes its event row in the same transaction as the change,
 * so an event exists if and only if the change committed. Delivery (server/webhooks) reads
 * undispatched rows later; this module knows nothing about webhooks.
 */
import type { Kysely } from "kysely";
import type { Database, EventsTable } from "../db/schema.ts";
import type { Clock, Random } from "../deps.ts";
import { newId } from "../ids.ts";
import { type JsonObject, renderForVersion } from "../versions/index.ts";

export const EVENT_TYPES = [
  "listing.created",
  "listing.updated",
  "listing.published",
  "listing.sold",
  "customer.created",
  "customer.updated",
  "order.created",
  "order.paid",
  "order.shipped",
  "order.cancelled",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The document's schema name of the object an event type carries. */
export function schemaNameOf(type: string): string {
  if (type.startsWith("listing.")) return "Listing";
  if (type.startsWith("customer.")) return "Customer";
  if (type.startsWith("order.")) return "Order";
  throw new Error(`unknown event type ${type}`);
}

export interface OutboxDeps {
  clock: Clock;
  random: Random;
}

/** Inserts an event row; call it with the transaction that made the change. */
export async function recordEvent(
  trx: Kysely<Database>,
  deps: OutboxDeps,
  integrationId: string,
  type: EventType,
  object: JsonObject,
): Promise<Omit<EventsTable, "seq">> {
  const row = {
    id: newId(deps.random, "evt"),
    integration_id: integrationId,
    type,
    data: JSON.stringify(object),
    created_at: deps.clock.now().toISOString(),
    dispatched_at: null,
  };
  await trx.insertInto("events").values(row).execute();
  return row;
}

export interface EventEnvelope {
  id: string;
  object: "event";
  type: string;
  api_version: string;
  created_at: string;
  data: { object: JsonObject };
}

/** The event as an integration pinned to `version` sees it (API and webhook payloads alike). */
export function renderEvent(
  row: Pick<EventsTable, "id" | "type" | "data" | "created_at">,
  version: string,
): EventEnvelope {
  const object = JSON.parse(row.data) as JsonObject;
  return {
    id: row.id,
    object: "event",
    type: row.type,
    api_version: version,
    created_at: row.created_at,
    data: { object: renderForVersion(version, schemaNameOf(row.type), object) },
  };
}
