import type { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { eventFromRow } from "../events/outbox.ts";
import { notFound } from "../http/errors.ts";
import { operationsOn } from "../http/operation.ts";
import { readNewestFirst } from "../http/pagination.ts";
import type { RouteModule } from "../http/route-module.ts";

function register(router: Router, deps: AppDeps): void {
  const { db, secretKey } = deps;
  const operation = operationsOn(router);

  operation("listEvents", ({ query, integration }) =>
    readNewestFirst(
      {
        secret: secretKey,
        integrationId: integration.id,
        list: "events",
        query,
        equals: { type: "type" },
        rows: db.selectFrom("events").selectAll().where("integration_id", "=", integration.id),
      },
      eventFromRow,
    ),
  );

  operation("retrieveEvent", async ({ params, integration }) => {
    const id = params.event_id;
    const row = await db
      .selectFrom("events")
      .selectAll()
      .where("id", "=", id)
      .where("integration_id", "=", integration.id)
      .executeTakeFirst();
    if (row === undefined) throw notFound("event_id", id, "event");
    return eventFromRow(row);
  });
}

export const eventsModule: RouteModule = { name: "events", register };
