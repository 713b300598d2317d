import type { EventsTable } from "../db/schema.ts";
import { renderEvent, schemaNameOf } from "../events/outbox.ts";
import { bundledDocument, rendersDifferently } from "../versions/index.ts";
import { checkWebhookBody } from "../versions/webhook-check.ts";

/**
 * A delivery's body: the event envelope rendered at the integration's pinned version (through
 * the version layer, like the events API), serialised once. The bytes are stored with the
 * delivery and re-sent unchanged by every retry of that delivery. Outside production the body is
 * validated against the pinned version's document first (server/versions/webhook-check.ts):
 * `checkShape` is the caller's `WebhookSettings.checkBodies`.
 */
export function renderEventBody(
  event: Pick<EventsTable, "id" | "type" | "data" | "created_at">,
  apiVersion: string,
  checkShape: boolean,
): string {
  const body = renderUnchecked(event, apiVersion);
  if (checkShape) checkWebhookBody(event.type, apiVersion, body, bundledDocument);
  return body;
}

function renderUnchecked(
  event: Pick<EventsTable, "id" | "type" | "data" | "created_at">,
  apiVersion: string,
): string {
  if (!rendersDifferently(apiVersion, schemaNameOf(event.type))) {
    // The stored object is already the JSON this version sends (recordEvent serialised it), so
    // it is spliced in as it is: the bytes renderEvent would give, without parsing it again.
    const head = JSON.stringify({
      id: event.id,
      object: "event",
      type: event.type,
      api_version: apiVersion,
      created_at: event.created_at,
    });
    return `${head.slice(0, -1)},"data":{"object":${event.data}}}`;
  }
  return JSON.stringify(renderEvent(event, apiVersion));
}

/** Whether an endpoint's `enabled_events` covers `type`; `*` covers every type, present or future. */
export function subscribes(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.includes("*") || enabledEvents.includes(type);
}
