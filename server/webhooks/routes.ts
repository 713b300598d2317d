import type { Router } from "express";
import type { Kysely } from "kysely";
import type { components } from "../../generated/newest.ts";
import type { Database } from "../db/schema.ts";
import type { AppDeps } from "../deps.ts";
import { ApiError } from "../http/errors.ts";
import { operationsOn } from "../http/operation.ts";
import {
  type CursorScope,
  isoFilter,
  listParams,
  newestFirstPage,
  readNewestFirst,
  toPage,
} from "../http/pagination.ts";
import type { RouteModule } from "../http/route-module.ts";
import {
  attemptsOf,
  type DeliveryRow,
  deliveryFromRow,
  findDelivery,
  recoverDeadLetters,
  replayEvent,
  type WebhookDelivery,
} from "./deliveries.ts";
import {
  createEndpoint,
  deleteEndpoint,
  deleteEndpointRows,
  type EndpointDeps,
  endpointFromRow,
  endpointWithSecret,
  findEndpoint,
  rotateSecret,
  updateEndpoint,
} from "./endpoints.ts";
import { SecretBox } from "./secret.ts";
import type { DeliveryStatus, WebhookDb } from "./tables.ts";
import type { Resolver } from "./url-safety.ts";

/**
 * The webhook REST operations: endpoints (create, list, retrieve, update, delete, rotate the
 * secret), replay, deliveries and dead letters. Mounted with the other resource modules, each
 * registered by operationId (server/http/operation.ts) and typed by the newest document.
 */
export interface WebhookRouteOptions {
  /** WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1: loopback/private endpoint URLs are accepted. */
  allowPrivate: boolean;
  /** DNS for the URL check; the system resolver by default. */
  resolve?: Resolver;
  /** Replays render bodies checked against their version's document (`WebhookSettings`). */
  checkBodies: boolean;
}

type Schema<N extends keyof components["schemas"]> = components["schemas"][N];

const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  "pending",
  "succeeded",
  "retrying",
  "dead_lettered",
];

export function registerWebhookRoutes(
  router: Router,
  deps: AppDeps,
  options: WebhookRouteOptions,
): void {
  // The app's Database already includes the webhook tables (schema.ts); the cast only names them.
  const db = deps.db as unknown as WebhookDb;
  const { secretKey } = deps;
  const endpointDeps: EndpointDeps = {
    db,
    clock: deps.clock,
    random: deps.random,
    box: new SecretBox(secretKey, deps.random),
    allowPrivate: options.allowPrivate,
    resolve: options.resolve,
  };

  const createdFilters = (query: { created_gte?: string; created_lt?: string }) => ({
    created_gte: isoFilter(query.created_gte, "created_gte"),
    created_lt: isoFilter(query.created_lt, "created_lt"),
  });

  /** One page of deliveries, newest first, with their attempts. */
  async function deliveryPage(
    scope: CursorScope,
    query: Record<string, unknown>,
    where: { endpointId?: string; eventSeq?: number; status?: DeliveryStatus },
  ) {
    const { limit, afterSeq } = listParams(secretKey, scope, query);
    let q = db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("integration_id", "=", scope.integrationId);
    if (where.endpointId !== undefined) q = q.where("endpoint_id", "=", where.endpointId);
    if (where.eventSeq !== undefined) q = q.where("event_seq", "=", where.eventSeq);
    if (where.status !== undefined) q = q.where("status", "=", where.status);
    const rows = await newestFirstPage(q, scope.filters, afterSeq, limit).execute();
    const attempts = await attemptsOf(
      db,
      rows.slice(0, limit).map((r) => r.id),
    );
    return toPage(
      secretKey,
      scope,
      rows,
      limit,
      (row: DeliveryRow): WebhookDelivery => deliveryFromRow(row, attempts.get(row.id) ?? []),
    );
  }

  /** A delivery with its attempts, as the document shows it. */
  async function deliveryOf(row: DeliveryRow): Promise<WebhookDelivery> {
    const attempts = await attemptsOf(db, [row.id]);
    return deliveryFromRow(row, attempts.get(row.id) ?? []);
  }

  const operation = operationsOn(router);

  operation("createWebhookEndpoint", async ({ body, integration }) => {
    const { row, secret } = await createEndpoint(endpointDeps, integration, body);
    return endpointWithSecret(row, integration.api_version, secret);
  });

  operation("listWebhookEndpoints", ({ query, integration }) =>
    readNewestFirst(
      {
        secret: secretKey,
        integrationId: integration.id,
        list: "webhook_endpoints",
        query,
        equals: {},
        rows: db
          .selectFrom("webhook_endpoints")
          .selectAll()
          .where("integration_id", "=", integration.id),
      },
      (row) => endpointFromRow(row, integration.api_version),
    ),
  );

  operation("retrieveWebhookEndpoint", async ({ params, integration }) => {
    const row = await findEndpoint(db, integration.id, params.webhook_endpoint_id);
    return endpointFromRow(row, integration.api_version);
  });

  operation("updateWebhookEndpoint", async ({ params, body, integration }) => {
    const row = await updateEndpoint(endpointDeps, integration, params.webhook_endpoint_id, body);
    return endpointFromRow(row, integration.api_version);
  });

  operation("deleteWebhookEndpoint", async ({ params, integration }) => {
    const id = params.webhook_endpoint_id;
    await deleteEndpoint(endpointDeps, integration.id, id);
    return {
      id,
      object: "webhook_endpoint",
      deleted: true,
    } satisfies Schema<"DeletedWebhookEndpoint">;
  });

  operation("rotateWebhookEndpointSecret", async ({ params, body, integration }) => {
    const { row, secret } = await rotateSecret(
      endpointDeps,
      integration.id,
      params.webhook_endpoint_id,
      body,
    );
    return endpointWithSecret(row, integration.api_version, secret);
  });

  operation("listEndpointDeliveries", async ({ params, query, integration }) => {
    const endpoint = await findEndpoint(db, integration.id, params.webhook_endpoint_id);
    const status = query.status;
    if (status !== undefined && !DELIVERY_STATUSES.includes(status as DeliveryStatus)) {
      throw new ApiError(
        "parameter_invalid",
        `status must be one of ${DELIVERY_STATUSES.join(", ")}.`,
        "status",
      );
    }
    const filters = { ...createdFilters(query), status };
    const scope = {
      integrationId: integration.id,
      list: `webhook_endpoints:${endpoint.id}/deliveries`,
      filters,
    };
    return deliveryPage(scope, query, {
      endpointId: endpoint.id,
      status: status as DeliveryStatus | undefined,
    });
  });

  operation("listDeadLetters", async ({ params, query, integration }) => {
    const endpoint = await findEndpoint(db, integration.id, params.webhook_endpoint_id);
    const scope = {
      integrationId: integration.id,
      list: `webhook_endpoints:${endpoint.id}/dead_letters`,
      filters: createdFilters(query),
    };
    return deliveryPage(scope, query, { endpointId: endpoint.id, status: "dead_lettered" });
  });

  operation("recoverDeadLetters", async ({ params, body, integration }) => {
    const endpointId = params.webhook_endpoint_id;
    // The validator checks these too; this keeps the rules true when it is off.
    if (body.delivery !== undefined && typeof body.delivery !== "string") {
      throw new ApiError(
        "parameter_invalid",
        "delivery must be a webhook delivery id.",
        "delivery",
      );
    }
    const since = isoFilter(body.since, "since");
    const ids = await recoverDeadLetters(
      { ...endpointDeps, checkBodies: options.checkBodies },
      integration.id,
      endpointId,
      {
        delivery: body.delivery,
        since,
      },
    );
    return {
      object: "dead_letter_recovery",
      webhook_endpoint: endpointId,
      recovered: ids.length,
      deliveries: ids,
    } satisfies Schema<"DeadLetterRecovery">;
  });

  operation("replayEvent", async ({ params, body, integration }) => {
    if (typeof body.webhook_endpoint !== "string") {
      throw new ApiError("parameter_missing", "webhook_endpoint is required.", "webhook_endpoint");
    }
    const row = await replayEvent(
      { ...endpointDeps, checkBodies: options.checkBodies },
      integration,
      params.event_id,
      body.webhook_endpoint,
    );
    return deliveryOf(row);
  });

  operation("listEventDeliveries", async ({ params, query, integration }) => {
    const eventId = params.event_id;
    const event = await db
      .selectFrom("events")
      .select(["id", "seq"])
      .where("id", "=", eventId)
      .where("integration_id", "=", integration.id)
      .executeTakeFirst();
    if (event === undefined) {
      throw new ApiError("resource_not_found", `No such event: '${eventId}'`, "event_id");
    }
    const scope = {
      integrationId: integration.id,
      list: `events:${eventId}/deliveries`,
      filters: createdFilters(query),
    };
    return deliveryPage(scope, query, { eventSeq: event.seq });
  });

  operation("retrieveWebhookDelivery", async ({ params, integration }) =>
    deliveryOf(await findDelivery(db, integration.id, params.delivery_id)),
  );
}

/** Test-data reset: the integration's endpoints with their deliveries and attempts. */
async function resetTestData(
  trx: Kysely<Database>,
  integrationId: string,
): Promise<Record<string, number>> {
  const db = trx as unknown as WebhookDb;
  const ids = (
    await db
      .selectFrom("webhook_endpoints")
      .select("id")
      .where("integration_id", "=", integrationId)
      .execute()
  ).map((r) => r.id);
  await deleteEndpointRows(db, ids);
  await db
    .deleteFrom("webhook_payloads")
    .where("event_seq", "in", (eb) =>
      eb.selectFrom("events").select("seq").where("integration_id", "=", integrationId),
    )
    .execute();
  return { webhook_endpoints: ids.length };
}

export function webhooksModule(options: WebhookRouteOptions): RouteModule {
  return {
    name: "webhooks",
    register: (router, deps) => registerWebhookRoutes(router, deps, options),
    resetTestData,
  };
}
