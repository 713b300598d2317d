/**
 * Renders one newest-shape object of a named schema for a pinned version: the one place that
 * knows which schemas need more than the version changes' converters (an event renders its
 * `data.object` by its type's schema and carries the pinned `api_version`).
 */
import type { SchemaName } from "../../generated/newest.ts";
import { type NewestEvent, renderEnvelope } from "../events/outbox.ts";
import { type JsonObject, renderForVersion } from "../versions/index.ts";

export function renderObject(version: string, schema: SchemaName, value: unknown): unknown {
  if (schema === "Event") return renderEnvelope(value as NewestEvent, version);
  return renderForVersion(version, schema, value as JsonObject);
}
