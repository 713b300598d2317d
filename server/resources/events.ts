import type { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { renderEvent } from "../events/outbox.ts";
import { apiVersionOf, integrationOf } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { readNewestFirst } from "../http/pagination.ts";
import { queryOf } from "../http/respond.ts";
import type { RouteModule } from "../http/route-module.ts";

function register(router: Router, deps: AppDeps): void {
  const { db, secretKey } = deps;

  router.get("/v1/events", async (req, res) => {
    const integrationId = integrationOf(res).id;
    const version = apiVersionOf(res);
    const page = await readNewestFirst(
      {
        secret: secretKey,
        integrationId,
        list: "events",
        query: queryOf(req),
        equals: { type: "type" },
        rows: db.selectFrom("events").selectAll().where("integration_id", "=", integrationId),
      },
      (row) => renderEvent(row, version),
    );
    res.status(200).json(page);
  });

  router.get("/v1/events/:event_id", async (req, res) => {
    const id = String(req.params.event_id);
    const row = await db
      .selectFrom("events")
      .selectAll()
      .where("id", "=", id)
      .where("integration_id", "=", integrationOf(res).id)
      .executeTakeFirst();
    if (row === undefined) throw notFound("event_id", id, "event");
    res.status(200).json(renderEvent(row, apiVersionOf(res)));
  });
}

export const eventsModule: RouteModule = { name: "events", register };
