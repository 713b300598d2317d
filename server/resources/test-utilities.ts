/**
 * Test utilities, for test-mode keys only: trigger an event, act as the other parties of an
 * order (payment, delivery), and wipe the integration's test data.
 */
import type { RequestHandler, Router } from "express";
import { EVENT_EXAMPLES } from "../../generated/newest.ts";
import type { AppDeps } from "../deps.ts";
import { type EventObject, type EventType, eventFromRow, recordEvent } from "../events/outbox.ts";
import { integrationOf } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { operationsOn } from "../http/operation.ts";
import type { RouteModule } from "../http/route-module.ts";
import { isIdPrefix, newId } from "../ids.ts";
import { transitionOrder } from "./orders.ts";

const testModeOnly: RequestHandler = (_req, res, next) => {
  if (integrationOf(res).mode !== "test") {
    throw new ApiError("test_mode_only", "Test utilities are available to test-mode keys only.");
  }
  next();
};

const OBJECT_ID = /^([a-z]+)_[0-9A-Za-z]{24}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * A plausible object for a test event: the document's example for the event type, with fresh
 * identifiers (same prefixes), its times set to now, and metadata that marks it as a test so
 * that receivers can tell it apart.
 */
export function sampleObject(deps: AppDeps, type: EventType): EventObject<EventType> {
  const now = deps.clock.now().toISOString();
  const sample = structuredClone(EVENT_EXAMPLES[type]);
  // The example's own fields, by name: only string values are replaced, by strings of the
  // same kind, so the object keeps the example's (typed) shape.
  const fields = sample as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== "string") continue;
    const id = OBJECT_ID.exec(value);
    if (id?.[1] !== undefined && isIdPrefix(id[1])) fields[name] = newId(deps.random, id[1]);
    else if (TIMESTAMP.test(value)) fields[name] = now;
  }
  fields.metadata = { test_event: "true" };
  return sample;
}

export function testUtilitiesModule(modules: () => RouteModule[]): RouteModule {
  return {
    name: "test-utilities",
    register(router: Router, deps: AppDeps) {
      const { db } = deps;
      const operation = operationsOn(router, deps.db);

      operation(
        "triggerTestEvent",
        ({ body, integration, transaction }) => {
          const type = body.type;
          return transaction(async (trx) =>
            eventFromRow(
              await recordEvent(trx, deps, integration.id, type, sampleObject(deps, type)),
            ),
          );
        },
        testModeOnly,
      );

      for (const [operationId, action] of [
        ["payTestOrder", "pay"],
        ["deliverTestOrder", "deliver"],
      ] as const) {
        operation(
          operationId,
          ({ params, integration, transaction }) =>
            transitionOrder(
              { clock: deps.clock, random: deps.random, transaction },
              integration.id,
              params.order_id,
              action,
            ),
          testModeOnly,
        );
      }

      operation(
        "resetTestData",
        async ({ integration }) => {
          const integrationId = integration.id;
          const deleted = await db.transaction().execute(async (trx) => {
            const counts: Record<string, number> = { webhook_endpoints: 0 };
            // Other modules first: their rows may refer to events.
            for (const module of modules()) {
              if (module.resetTestData !== undefined) {
                Object.assign(counts, await module.resetTestData(trx, integrationId));
              }
            }
            for (const table of ["orders", "listings", "customers", "events"] as const) {
              const result = await trx
                .deleteFrom(table)
                .where("integration_id", "=", integrationId)
                .executeTakeFirst();
              counts[table] = Number(result.numDeletedRows);
            }
            return counts;
          });
          // Every count below is set above; `?? 0` only satisfies the index type.
          return {
            object: "test_reset" as const,
            deleted: {
              listings: deleted.listings ?? 0,
              customers: deleted.customers ?? 0,
              orders: deleted.orders ?? 0,
              events: deleted.events ?? 0,
              webhook_endpoints: deleted.webhook_endpoints ?? 0,
            },
          };
        },
        testModeOnly,
      );
    },
  };
}
