import type { EventsTable } from "../db/schema.ts";
import { renderEvent } from "../events/outbox.ts";

/**
 * A delivery's body: the event envelope rendered at the integration's pinned version (through
 * the version layer, like the events API), serialised once. The bytes are stored with the
 * delivery and re-sent unchanged by every retry, recovery and replay.
 */
export function renderEventBody(
  event: Pick<EventsTable, "id" | "type" | "data" | "created_at">,
  apiVersion: string,
): string {
  return JSON.stringify(renderEvent(event, apiVersion));
}

/** Whether an endpoint's `enabled_events` covers `type`; `*` covers every type, present or future. */
export function subscribes(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.includes("*") || enabledEvents.includes(type);
}
