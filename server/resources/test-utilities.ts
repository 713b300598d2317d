/**
 * Test utilities, for test-mode keys only: trigger an event, act as the other parties of an
 * order (payment, delivery), and wipe the integration's test data.
 */
import type { RequestHandler, Router } from "express";
import type { AppDeps } from "../deps.ts";
import { type EventType, recordEvent, renderEvent } from "../events/outbox.ts";
import { apiVersionOf, integrationOf } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import { bodyOf, sendObject } from "../http/respond.ts";
import type { RouteModule } from "../http/route-module.ts";
import { newId } from "../ids.ts";
import type { JsonObject } from "../versions/index.ts";
import { transitionOrder } from "./orders.ts";

const testModeOnly: RequestHandler = (_req, res, next) => {
  if (integrationOf(res).mode !== "test") {
    throw new ApiError("test_mode_only", "Test utilities are available to test-mode keys only.");
  }
  next();
};

/** A plausible object for a test event, marked so that receivers can tell it apart. */
export function sampleObject(deps: AppDeps, type: EventType): JsonObject {
  const now = deps.clock.now().toISOString();
  const metadata = { test_event: "true" };
  if (type.startsWith("listing.")) {
    const status =
      type === "listing.published" ? "published" : type === "listing.sold" ? "sold" : "draft";
    return {
      id: newId(deps.random, "lst"),
      object: "listing",
      brand: "Rolex",
      model: "Submariner Date",
      reference_number: "126610LN",
      year: 2023,
      condition: "excellent",
      box: true,
      papers: true,
      price: 1250000,
      currency: "EUR",
      description: "Sample listing sent by the test utilities.",
      status,
      metadata,
      created_at: now,
      updated_at: now,
      published_at: status === "draft" ? null : now,
    };
  }
  if (type.startsWith("customer.")) {
    return {
      id: newId(deps.random, "cus"),
      object: "customer",
      email: "test.buyer@example.com",
      name: "Test Buyer",
      phone: null,
      shipping_address: {
        line1: "1 Sample Street",
        line2: null,
        city: "Geneva",
        postal_code: "1201",
        country: "CH",
      },
      metadata,
      created_at: now,
      updated_at: now,
    };
  }
  const status =
    type === "order.paid"
      ? "paid"
      : type === "order.shipped"
        ? "shipped"
        : type === "order.cancelled"
          ? "cancelled"
          : "pending";
  return {
    id: newId(deps.random, "ord"),
    object: "order",
    listing: newId(deps.random, "lst"),
    customer: newId(deps.random, "cus"),
    amount: 1250000,
    currency: "EUR",
    status,
    shipping: status === "shipped" ? { carrier: "DHL", tracking_number: "TEST123456" } : null,
    cancellation_reason: status === "cancelled" ? "Sample cancellation" : null,
    metadata,
    created_at: now,
    updated_at: now,
    paid_at: status === "paid" || status === "shipped" ? now : null,
    shipped_at: status === "shipped" ? now : null,
    delivered_at: null,
    cancelled_at: status === "cancelled" ? now : null,
  };
}

export function testUtilitiesModule(modules: () => RouteModule[]): RouteModule {
  return {
    name: "test-utilities",
    register(router: Router, deps: AppDeps) {
      const { db } = deps;

      router.post("/v1/test/events", testModeOnly, async (req, res) => {
        const integrationId = integrationOf(res).id;
        const type = String(bodyOf(req, res).type) as EventType;
        const row = await db
          .transaction()
          .execute((trx) => recordEvent(trx, deps, integrationId, type, sampleObject(deps, type)));
        res.status(201).json(renderEvent(row, apiVersionOf(res)));
      });

      for (const action of ["pay", "deliver"] as const) {
        router.post(`/v1/test/orders/:order_id/${action}`, testModeOnly, async (req, res) => {
          const order = await transitionOrder(
            deps,
            integrationOf(res).id,
            String(req.params.order_id),
            action,
          );
          sendObject(res, 200, "Order", order);
        });
      }

      router.post("/v1/test/reset", testModeOnly, async (_req, res) => {
        const integrationId = integrationOf(res).id;
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
        res.status(200).json({
          object: "test_reset",
          deleted: {
            listings: deleted.listings,
            customers: deleted.customers,
            orders: deleted.orders,
            events: deleted.events,
            webhook_endpoints: deleted.webhook_endpoints,
          },
        });
      });
    },
  };
}
