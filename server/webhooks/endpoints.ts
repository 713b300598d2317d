import type { Selectable } from "kysely";
import type { components } from "../../generated/newest.ts";
import type { Clock, Random } from "../deps.ts";
import { EVENT_TYPES } from "../events/outbox.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { newId } from "../ids.ts";
import type { Integration } from "../integrations.ts";
import { generateSecret, type SecretBox } from "./secret.ts";
import type { WebhookDb, WebhookEndpointsTable } from "./tables.ts";
import { checkEndpointUrl, type Resolver, WebhookUrlRefused } from "./url-safety.ts";

/**
 * Webhook endpoint operations, shared by the REST routes and tests. The plaintext secret leaves
 * this module only in the return value of create and rotate (shown to the caller once).
 */
export interface EndpointDeps {
  db: WebhookDb;
  clock: Clock;
  random: Random;
  box: SecretBox;
  allowPrivate: boolean;
  resolve?: Resolver;
}

export const DEFAULT_ROTATION_OVERLAP_SECONDS = 86_400;
export const MAX_ROTATION_OVERLAP_SECONDS = 604_800;
const MAX_ENABLED_EVENTS = 20;

export type EndpointRow = Omit<Selectable<WebhookEndpointsTable>, "seq">;

/** A webhook endpoint as the newest document shows it. */
export type WebhookEndpoint = components["schemas"]["WebhookEndpoint"];
export type WebhookEndpointWithSecret = components["schemas"]["WebhookEndpointWithSecret"];
type EnabledEventType = components["schemas"]["EnabledEventType"];

/** The request bodies, in the newest document's shape (the routes upgrade older ones first). */
export type CreateEndpointBody = components["schemas"]["CreateWebhookEndpointRequest"];
export type UpdateEndpointBody = components["schemas"]["UpdateWebhookEndpointRequest"];
export type RotateSecretBody = Partial<components["schemas"]["RotateWebhookEndpointSecretRequest"]>;

export function endpointFromRow(row: EndpointRow, apiVersion: string): WebhookEndpoint {
  return {
    id: row.id,
    object: "webhook_endpoint",
    url: row.url,
    description: row.description,
    // Written only by parseEnabledEvents, which admits only the document's event types.
    enabled_events: JSON.parse(row.enabled_events) as EnabledEventType[],
    status: row.status,
    disabled_reason: row.disabled_reason,
    api_version: apiVersion,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The endpoint with its plaintext secret: only in the answer to create and rotate. */
export function endpointWithSecret(
  row: EndpointRow,
  apiVersion: string,
  secret: string,
): WebhookEndpointWithSecret {
  return { ...endpointFromRow(row, apiVersion), secret };
}

/** The request validator checks shapes too; this keeps the rules true when it is off. */
export function parseEnabledEvents(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_ENABLED_EVENTS) {
    throw new ApiError(
      "parameter_invalid",
      `enabled_events must be a list of 1–${MAX_ENABLED_EVENTS} event types, or ["*"].`,
      "enabled_events",
    );
  }
  const known = new Set<string>([...EVENT_TYPES, "*"]);
  for (const item of value) {
    if (typeof item !== "string" || !known.has(item)) {
      throw new ApiError(
        "parameter_invalid",
        `enabled_events: unknown event type ${JSON.stringify(item)}.`,
        "enabled_events",
      );
    }
  }
  if (new Set(value).size !== value.length) {
    throw new ApiError(
      "parameter_invalid",
      "enabled_events must not repeat a type.",
      "enabled_events",
    );
  }
  return value as string[];
}

function parseDescription(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string" || value.length > 500) {
    throw new ApiError(
      "parameter_invalid",
      "description must be a string of at most 500 characters.",
      "description",
    );
  }
  return value;
}

async function checkedUrl(
  deps: EndpointDeps,
  integration: Integration,
  value: unknown,
): Promise<string> {
  if (typeof value !== "string") {
    throw new ApiError("parameter_invalid", "url must be a string.", "url");
  }
  try {
    return await checkEndpointUrl(value, {
      mode: integration.mode,
      allowPrivate: deps.allowPrivate,
      resolve: deps.resolve,
    });
  } catch (err) {
    if (err instanceof WebhookUrlRefused) throw new ApiError(err.code, err.message, "url");
    throw err;
  }
}

export async function createEndpoint(
  deps: EndpointDeps,
  integration: Integration,
  body: CreateEndpointBody,
): Promise<{ row: EndpointRow; secret: string }> {
  if (body.url === undefined) throw new ApiError("parameter_missing", "url is required.", "url");
  if (body.enabled_events === undefined) {
    throw new ApiError("parameter_missing", "enabled_events is required.", "enabled_events");
  }
  const url = await checkedUrl(deps, integration, body.url);
  const enabledEvents = parseEnabledEvents(body.enabled_events);
  const now = deps.clock.now().toISOString();
  const id = newId(deps.random, "we");
  const secret = generateSecret(deps.random);
  const row: EndpointRow = {
    id,
    integration_id: integration.id,
    url,
    description: parseDescription(body.description),
    enabled_events: JSON.stringify(enabledEvents),
    status: "enabled",
    disabled_reason: null,
    secret_sealed: deps.box.seal(secret, id),
    previous_secret_sealed: null,
    previous_secret_expires_at: null,
    created_at: now,
    updated_at: now,
  };
  await deps.db.insertInto("webhook_endpoints").values(row).execute();
  return { row, secret };
}

export async function findEndpoint(
  db: WebhookDb,
  integrationId: string,
  id: string,
  param = "webhook_endpoint_id",
): Promise<Selectable<WebhookEndpointsTable>> {
  const row = await db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("id", "=", id)
    .where("integration_id", "=", integrationId)
    .executeTakeFirst();
  if (row === undefined) throw notFound(param, id, "webhook endpoint");
  return row;
}

export async function updateEndpoint(
  deps: EndpointDeps,
  integration: Integration,
  id: string,
  body: UpdateEndpointBody,
): Promise<EndpointRow> {
  const row = await findEndpoint(deps.db, integration.id, id);
  const changes: Partial<EndpointRow> = { updated_at: deps.clock.now().toISOString() };
  if (body.url !== undefined) changes.url = await checkedUrl(deps, integration, body.url);
  if (body.description !== undefined) changes.description = parseDescription(body.description);
  if (body.enabled_events !== undefined) {
    changes.enabled_events = JSON.stringify(parseEnabledEvents(body.enabled_events));
  }
  if (body.status !== undefined) {
    if (body.status === "enabled") {
      changes.status = "enabled";
      changes.disabled_reason = null;
    } else if (body.status === "disabled") {
      changes.status = "disabled";
      // Keep `endpoint_gone` if the receiver disabled it; otherwise it was the integrator.
      changes.disabled_reason = row.status === "disabled" ? row.disabled_reason : "manual";
    } else {
      throw new ApiError("parameter_invalid", "status must be enabled or disabled.", "status");
    }
  }
  await deps.db.updateTable("webhook_endpoints").set(changes).where("id", "=", row.id).execute();
  return { ...row, ...changes };
}

/** Deletes the endpoint with its deliveries and attempts (queued deliveries are dropped). */
export async function deleteEndpoint(
  deps: EndpointDeps,
  integrationId: string,
  id: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await findEndpoint(trx, integrationId, id);
    await deleteEndpointRows(trx, [row.id]);
  });
}

export async function deleteEndpointRows(db: WebhookDb, endpointIds: string[]): Promise<void> {
  if (endpointIds.length === 0) return;
  await db
    .deleteFrom("webhook_attempts")
    .where("delivery_id", "in", (eb) =>
      eb.selectFrom("webhook_deliveries").select("id").where("endpoint_id", "in", endpointIds),
    )
    .execute();
  await db.deleteFrom("webhook_deliveries").where("endpoint_id", "in", endpointIds).execute();
  await db.deleteFrom("webhook_endpoints").where("id", "in", endpointIds).execute();
}

/**
 * A new secret signs from now on; the current one keeps signing too (both signatures are sent)
 * until `expire_current_secret_in_seconds` have passed. 0 drops it at once.
 */
export async function rotateSecret(
  deps: EndpointDeps,
  integrationId: string,
  id: string,
  body: RotateSecretBody,
): Promise<{ row: EndpointRow; secret: string }> {
  const raw = body.expire_current_secret_in_seconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS;
  if (
    typeof raw !== "number" ||
    !Number.isInteger(raw) ||
    raw < 0 ||
    raw > MAX_ROTATION_OVERLAP_SECONDS
  ) {
    throw new ApiError(
      "parameter_invalid",
      `expire_current_secret_in_seconds must be an integer from 0 to ${MAX_ROTATION_OVERLAP_SECONDS}.`,
      "expire_current_secret_in_seconds",
    );
  }
  const row = await findEndpoint(deps.db, integrationId, id);
  const now = deps.clock.now();
  const secret = generateSecret(deps.random);
  const changes: Partial<EndpointRow> = {
    secret_sealed: deps.box.seal(secret, row.id),
    previous_secret_sealed: raw === 0 ? null : row.secret_sealed,
    previous_secret_expires_at:
      raw === 0 ? null : new Date(now.getTime() + raw * 1000).toISOString(),
    updated_at: now.toISOString(),
  };
  await deps.db.updateTable("webhook_endpoints").set(changes).where("id", "=", row.id).execute();
  return { row: { ...row, ...changes }, secret };
}
