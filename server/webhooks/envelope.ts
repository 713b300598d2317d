import { renderForVersion } from "../versions/index.ts";

/**
 * The event envelope of DESIGN.md, with the object rendered at `apiVersion` through the version
 * layer. Serialised once per delivery; the bytes are stored and re-sent unchanged.
 */
export interface EventRow {
  id: string;
  type: string;
  created_at: string;
  /** JSON text of the object at the newest version. */
  data: string;
}

const SCHEMA_BY_RESOURCE: Record<string, string> = {
  listing: "Listing",
  customer: "Customer",
  order: "Order",
};

/** The document schema name of an event type's object (`order.paid` → `Order`). */
export function schemaNameOf(eventType: string): string {
  const resource = eventType.split(".", 1)[0] ?? "";
  return SCHEMA_BY_RESOURCE[resource] ?? resource.charAt(0).toUpperCase() + resource.slice(1);
}

export function renderEventBody(event: EventRow, apiVersion: string): string {
  const newest = JSON.parse(event.data) as Record<string, unknown>;
  const object = renderForVersion(apiVersion, schemaNameOf(event.type), newest);
  return JSON.stringify({
    id: event.id,
    object: "event",
    type: event.type,
    api_version: apiVersion,
    created_at: event.created_at,
    data: { object },
  });
}

/** Whether an endpoint's `enabled_events` covers `type`; `*` covers every type, present or future. */
export function subscribes(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.includes("*") || enabledEvents.includes(type);
}
