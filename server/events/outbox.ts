/**
 * The outbox: every domain change writes its event row in the same transaction as the change,
 * so an event exists if and only if the change committed. Delivery (server/webhooks) reads
 * undispatched rows later; this module knows nothing about webhooks.
 *
 * The event types and the schema each one carries come from the newest document's `webhooks`
 * (generated/newest.ts), never from a list kept here.
 */
import type { Kysely } from "kysely";
import {
  type components,
  EVENT_SCHEMAS,
  type EventObject,
  type EventType,
  NEWEST_VERSION,
  type SchemaName,
} from "../../generated/newest.ts";
import type { Database, EventsTable } from "../db/schema.ts";
import type { Clock, Random } from "../deps.ts";
import { newId } from "../ids.ts";
import { type JsonObject, renderForVersion } from "../versions/index.ts";

export type { EventObject, EventType };

/** Every event type of the newest document, in the document's order. */
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as readonly EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_SCHEMAS, type);
}

/** The document's schema name of the object an event type carries. */
export function schemaNameOf(type: string): SchemaName {
  if (!isEventType(type)) throw new Error(`unknown event type ${type}`);
  return EVENT_SCHEMAS[type];
}

export interface OutboxDeps {
  clock: Clock;
  random: Random;
}

/**
 * Inserts an event row; call it with the transaction that made the change. The object must be
 * of the schema the newest document gives the event type.
 */
export function recordEvent<T extends EventType>(
  trx: Kysely<Database>,
  deps: OutboxDeps,
  integrationId: string,
  type: T,
  object: EventObject<T>,
): Promise<Omit<EventsTable, "seq">> {
  return storeEvent(trx, deps, integrationId, type, object);
}

/**
 * recordEvent without the type check, for tests and benchmarks that store synthetic payloads
 * (a bare `{id, object}`, an unknown type); the server itself always uses recordEvent.
 */
export async function storeEvent(
  trx: Kysely<Database>,
  deps: OutboxDeps,
  integrationId: string,
  type: string,
  object: object,
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

/** An event in the newest version's shape. */
export type NewestEvent = components["schemas"]["Event"];

/** The stored event, in the newest version's shape (its row holds the newest object). */
export function eventFromRow(
  row: Pick<EventsTable, "id" | "type" | "data" | "created_at">,
): NewestEvent {
  if (!isEventType(row.type)) throw new Error(`event ${row.id} has unknown type ${row.type}`);
  return {
    id: row.id,
    object: "event",
    type: row.type,
    api_version: NEWEST_VERSION,
    created_at: row.created_at,
    // Written by recordEvent from a typed object of this event type.
    data: { object: JSON.parse(row.data) as NewestEvent["data"]["object"] },
  };
}

export interface EventEnvelope {
  id: string;
  object: "event";
  type: string;
  api_version: string;
  created_at: string;
  data: { object: JsonObject };
}

/** A newest-shape event as an integration pinned to `version` sees it. */
export function renderEnvelope(event: NewestEvent, version: string): EventEnvelope {
  return {
    id: event.id,
    object: "event",
    type: event.type,
    api_version: version,
    created_at: event.created_at,
    data: { object: renderForVersion(version, schemaNameOf(event.type), event.data.object) },
  };
}

/** The event as an integration pinned to `version` sees it (API and webhook payloads alike). */
export function renderEvent(
  row: Pick<EventsTable, "id" | "type" | "data" | "created_at">,
  version: string,
): EventEnvelope {
  return renderEnvelope(eventFromRow(row), version);
}
