import type { Router } from "express";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { AppDeps } from "../deps.ts";
import { integrationOf } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import {
  type CursorScope,
  isoFilter,
  listParams,
  newestFirstPage,
  readNewestFirst,
  toPage,
} from "../http/pagination.ts";
import { bodyOf, queryOf, sendObject, sendPage } from "../http/respond.ts";
import type { RouteModule } from "../http/route-module.ts";
import {
  attemptsOf,
  type DeliveryRow,
  deliveryFromRow,
  findDelivery,
  recoverDeadLetters,
  replayEvent,
} from "./deliveries.ts";
import {
  createEndpoint,
  deleteEndpoint,
  deleteEndpointRows,
  type EndpointDeps,
  endpointFromRow,
  findEndpoint,
  rotateSecret,
  updateEndpoint,
} from "./endpoints.ts";
import { SecretBox } from "./secret.ts";
import type { DeliveryStatus, WebhookDb } from "./tables.ts";
import type { Resolver } from "./url-safety.ts";

/**
 * The webhook REST operations: endpoints (create, list, retrieve, update, delete, rotate the
 * secret), replay, deliveries and dead letters. Mounted with the other resource modules.
 */
export interface WebhookRouteOptions {
  /** WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1: loopback/private endpoint URLs are accepted. */
  allowPrivate: boolean;
  /** DNS for the URL check; the system resolver by default. */
  resolve?: Resolver;
  /** Replays render bodies checked against their version's document (`WebhookSettings`). */
  checkBodies: boolean;
}

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

  const createdFilters = (query: Record<string, unknown>) => ({
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
    return toPage(secretKey, scope, rows, limit, (row: DeliveryRow) =>
      deliveryFromRow(row, attempts.get(row.id) ?? []),
    );
  }

  async function sendDelivery(
    res: Parameters<typeof integrationOf>[0],
    status: number,
    row: DeliveryRow,
  ) {
    const attempts = await attemptsOf(db, [row.id]);
    sendObject(res, status, "WebhookDelivery", deliveryFromRow(row, attempts.get(row.id) ?? []));
  }

  router.post("/v1/webhook_endpoints", async (req, res) => {
    const integration = integrationOf(res);
    const { row, secret } = await createEndpoint(endpointDeps, integration, bodyOf(req, res));
    sendObject(
      res,
      201,
      "WebhookEndpointWithSecret",
      endpointFromRow(row, integration.api_version, secret),
    );
  });

  router.get("/v1/webhook_endpoints", async (req, res) => {
    const integration = integrationOf(res);
    const page = await readNewestFirst(
      {
        secret: secretKey,
        integrationId: integration.id,
        list: "webhook_endpoints",
        query: queryOf(req),
        equals: {},
        rows: db
          .selectFrom("webhook_endpoints")
          .selectAll()
          .where("integration_id", "=", integration.id),
      },
      (row) => endpointFromRow(row, integration.api_version),
    );
    sendPage(res, "WebhookEndpoint", page);
  });

  router.get("/v1/webhook_endpoints/:webhook_endpoint_id", async (req, res) => {
    const integration = integrationOf(res);
    const row = await findEndpoint(db, integration.id, String(req.params.webhook_endpoint_id));
    sendObject(res, 200, "WebhookEndpoint", endpointFromRow(row, integration.api_version));
  });

  router.patch("/v1/webhook_endpoints/:webhook_endpoint_id", async (req, res) => {
    const integration = integrationOf(res);
    const row = await updateEndpoint(
      endpointDeps,
      integration,
      String(req.params.webhook_endpoint_id),
      bodyOf(req, res),
    );
    sendObject(res, 200, "WebhookEndpoint", endpointFromRow(row, integration.api_version));
  });

  router.delete("/v1/webhook_endpoints/:webhook_endpoint_id", async (req, res) => {
    const id = String(req.params.webhook_endpoint_id);
    await deleteEndpoint(endpointDeps, integrationOf(res).id, id);
    sendObject(res, 200, "DeletedWebhookEndpoint", {
      id,
      object: "webhook_endpoint",
      deleted: true,
    });
  });

  router.post("/v1/webhook_endpoints/:webhook_endpoint_id/rotate_secret", async (req, res) => {
    const integration = integrationOf(res);
    const { row, secret } = await rotateSecret(
      endpointDeps,
      integration.id,
      String(req.params.webhook_endpoint_id),
      bodyOf(req, res),
    );
    sendObject(
      res,
      200,
      "WebhookEndpointWithSecret",
      endpointFromRow(row, integration.api_version, secret),
    );
  });

  router.get("/v1/webhook_endpoints/:webhook_endpoint_id/deliveries", async (req, res) => {
    const integration = integrationOf(res);
    const endpoint = await findEndpoint(db, integration.id, String(req.params.webhook_endpoint_id));
    const query = queryOf(req);
    const status = query.status as string | undefined;
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
    const page = await deliveryPage(scope, query, {
      endpointId: endpoint.id,
      status: status as DeliveryStatus | undefined,
    });
    sendPage(res, "WebhookDelivery", page);
  });

  router.get("/v1/webhook_endpoints/:webhook_endpoint_id/dead_letters", async (req, res) => {
    const integration = integrationOf(res);
    const endpoint = await findEndpoint(db, integration.id, String(req.params.webhook_endpoint_id));
    const query = queryOf(req);
    const scope = {
      integrationId: integration.id,
      list: `webhook_endpoints:${endpoint.id}/dead_letters`,
      filters: createdFilters(query),
    };
    const page = await deliveryPage(scope, query, {
      endpointId: endpoint.id,
      status: "dead_lettered",
    });
    sendPage(res, "WebhookDelivery", page);
  });

  router.post(
    "/v1/webhook_endpoints/:webhook_endpoint_id/dead_letters/recover",
    async (req, res) => {
      const integration = integrationOf(res);
      const endpointId = String(req.params.webhook_endpoint_id);
      const body = bodyOf(req, res);
      if (body.delivery !== undefined && typeof body.delivery !== "string") {
        throw new ApiError(
          "parameter_invalid",
          "delivery must be a webhook delivery id.",
          "delivery",
        );
      }
      const since = isoFilter(body.since, "since");
      const ids = await recoverDeadLetters(endpointDeps, integration.id, endpointId, {
        delivery: body.delivery as string | undefined,
        since,
      });
      sendObject(res, 200, "DeadLetterRecovery", {
        object: "dead_letter_recovery",
        webhook_endpoint: endpointId,
        recovered: ids.length,
        deliveries: ids,
      });
    },
  );

  router.post("/v1/events/:event_id/replay", async (req, res) => {
    const integration = integrationOf(res);
    const body = bodyOf(req, res);
    if (typeof body.webhook_endpoint !== "string") {
      throw new ApiError("parameter_missing", "webhook_endpoint is required.", "webhook_endpoint");
    }
    const row = await replayEvent(
      { ...endpointDeps, checkBodies: options.checkBodies },
      integration,
      String(req.params.event_id),
      body.webhook_endpoint,
    );
    await sendDelivery(res, 202, row);
  });

  router.get("/v1/events/:event_id/deliveries", async (req, res) => {
    const integration = integrationOf(res);
    const eventId = String(req.params.event_id);
    const event = await db
      .selectFrom("events")
      .select(["id", "seq"])
      .where("id", "=", eventId)
      .where("integration_id", "=", integration.id)
      .executeTakeFirst();
    if (event === undefined) {
      throw new ApiError("resource_not_found", `No such event: '${eventId}'`, "event_id");
    }
    const query = queryOf(req);
    const scope = {
      integrationId: integration.id,
      list: `events:${eventId}/deliveries`,
      filters: createdFilters(query),
    };
    sendPage(res, "WebhookDelivery", await deliveryPage(scope, query, { eventSeq: event.seq }));
  });

  router.get("/v1/webhook_deliveries/:delivery_id", async (req, res) => {
    const row = await findDelivery(db, integrationOf(res).id, String(req.params.delivery_id));
    await sendDelivery(res, 200, row);
  });
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
