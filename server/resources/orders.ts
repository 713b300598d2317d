import type { Router } from "express";
import type { Kysely } from "kysely";
import type { components } from "../../generated/newest.ts";
import type { Database, OrderRow, OrdersTable } from "../db/schema.ts";
import type { AppDeps, Clock, Random } from "../deps.ts";
import { type EventType, recordEvent } from "../events/outbox.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { operationsOn } from "../http/operation.ts";
import { readNewestFirst } from "../http/pagination.ts";
import type { RouteModule } from "../http/route-module.ts";
import { newId } from "../ids.ts";
import { findCustomer } from "./customers.ts";
import { findListing, listingFromRow } from "./listings.ts";
import { parseMetadata } from "./mapping.ts";

export type Order = components["schemas"]["Order"];
type OrderStatus = OrdersTable["status"];

export function orderFromRow(row: Omit<OrdersTable, "seq">): Order {
  return {
    id: row.id,
    object: "order",
    listing: row.listing_id,
    customer: row.customer_id,
    amount: Number(row.amount),
    currency: row.currency,
    status: row.status,
    // Both shipping columns are written together, by the ship transition.
    shipping:
      row.shipping_carrier === null || row.shipping_tracking_number === null
        ? null
        : { carrier: row.shipping_carrier, tracking_number: row.shipping_tracking_number },
    cancellation_reason: row.cancellation_reason,
    metadata: parseMetadata(row.metadata),
    created_at: row.created_at,
    updated_at: row.updated_at,
    paid_at: row.paid_at,
    shipped_at: row.shipped_at,
    delivered_at: row.delivered_at,
    cancelled_at: row.cancelled_at,
  };
}

export async function findOrder(
  db: Kysely<Database>,
  integrationId: string,
  id: string,
): Promise<OrderRow> {
  const row = await db
    .selectFrom("orders")
    .selectAll()
    .where("id", "=", id)
    .where("integration_id", "=", integrationId)
    .executeTakeFirst();
  if (row === undefined) throw notFound("order_id", id, "order");
  return row;
}

export type OrderAction = "pay" | "ship" | "deliver" | "cancel";

interface Transition {
  from: OrderStatus[];
  to: OrderStatus;
  event: EventType | undefined;
  stamp: "paid_at" | "shipped_at" | "delivered_at" | "cancelled_at";
}

const TRANSITIONS: Record<OrderAction, Transition> = {
  pay: { from: ["pending"], to: "paid", event: "order.paid", stamp: "paid_at" },
  ship: { from: ["paid"], to: "shipped", event: "order.shipped", stamp: "shipped_at" },
  // Delivery has no event type of its own in 2026-05-07.
  deliver: { from: ["shipped"], to: "delivered", event: undefined, stamp: "delivered_at" },
  cancel: {
    from: ["pending", "paid"],
    to: "cancelled",
    event: "order.cancelled",
    stamp: "cancelled_at",
  },
};

/**
 * Moves an order along its state machine, with its event(s), in one transaction. Cancelling
 * returns the listing to `published`.
 */
export async function transitionOrder(
  deps: {
    clock: Clock;
    random: Random;
    /** The operation's transaction: the order is rendered for the pinned version before commit. */
    transaction: (work: (trx: Kysely<Database>) => Promise<Order>) => Promise<Order>;
  },
  integrationId: string,
  orderId: string,
  action: OrderAction,
  extra: Partial<
    Pick<OrdersTable, "shipping_carrier" | "shipping_tracking_number" | "cancellation_reason">
  > = {},
): Promise<Order> {
  const rule = TRANSITIONS[action];
  return deps.transaction(async (trx) => {
    const row = await findOrder(trx, integrationId, orderId);
    if (!rule.from.includes(row.status)) {
      throw new ApiError(
        "invalid_order_transition",
        `Cannot ${action} a ${row.status} order (allowed from: ${rule.from.join(", ")}).`,
      );
    }
    const now = deps.clock.now().toISOString();
    const changes: Partial<Omit<OrdersTable, "seq">> = {
      ...extra,
      status: rule.to,
      updated_at: now,
      [rule.stamp]: now,
    };
    const result = await trx
      .updateTable("orders")
      .set(changes)
      .where("id", "=", row.id)
      .where("status", "=", row.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new ApiError("invalid_order_transition", "The order changed status meanwhile; retry.");
    }
    const order = orderFromRow({ ...row, ...changes });
    if (rule.event !== undefined) await recordEvent(trx, deps, integrationId, rule.event, order);
    if (action === "cancel") {
      const listing = await findListing(trx, integrationId, row.listing_id, "listing");
      if (listing.status === "sold") {
        const back = { status: "published" as const, updated_at: now, published_at: now };
        await trx.updateTable("listings").set(back).where("id", "=", listing.id).execute();
        await recordEvent(
          trx,
          deps,
          integrationId,
          "listing.published",
          listingFromRow({ ...listing, ...back }),
        );
      }
    }
    return order;
  });
}

function register(router: Router, deps: AppDeps): void {
  const { db, clock, random, secretKey } = deps;
  const operation = operationsOn(router, deps.db);

  operation("createOrder", ({ body, integration, transaction }) => {
    const integrationId = integration.id;
    const listingId = body.listing;
    const customerId = body.customer;
    return transaction(async (trx) => {
      const listing = await findListing(trx, integrationId, listingId, "listing");
      await findCustomer(trx, integrationId, customerId, "customer");
      if (listing.status === "sold") {
        throw new ApiError("listing_sold", `Listing ${listing.id} is already sold.`, "listing");
      }
      if (listing.status !== "published") {
        throw new ApiError(
          "listing_not_published",
          `Listing ${listing.id} is ${listing.status}, not published.`,
          "listing",
        );
      }
      const now = clock.now().toISOString();
      // The status guard makes two concurrent orders race on one row update: exactly one wins.
      const sold = await trx
        .updateTable("listings")
        .set({ status: "sold", updated_at: now })
        .where("id", "=", listing.id)
        .where("status", "=", "published")
        .executeTakeFirst();
      if (Number(sold.numUpdatedRows) !== 1) {
        throw new ApiError("listing_sold", `Listing ${listing.id} is already sold.`, "listing");
      }
      const row: Omit<OrdersTable, "seq"> = {
        id: newId(random, "ord"),
        integration_id: integrationId,
        listing_id: listing.id,
        customer_id: customerId,
        amount: Number(listing.price),
        currency: listing.currency,
        status: "pending",
        shipping_carrier: null,
        shipping_tracking_number: null,
        cancellation_reason: null,
        metadata: JSON.stringify(body.metadata ?? {}),
        created_at: now,
        updated_at: now,
        paid_at: null,
        shipped_at: null,
        delivered_at: null,
        cancelled_at: null,
      };
      await trx.insertInto("orders").values(row).execute();
      const object = orderFromRow(row);
      await recordEvent(trx, deps, integrationId, "order.created", object);
      await recordEvent(
        trx,
        deps,
        integrationId,
        "listing.sold",
        listingFromRow({ ...listing, status: "sold", updated_at: now }),
      );
      return object;
    });
  });

  operation("listOrders", ({ query, integration }) =>
    readNewestFirst(
      {
        secret: secretKey,
        integrationId: integration.id,
        list: "orders",
        query,
        equals: { status: "status", customer: "customer_id", listing: "listing_id" },
        rows: db.selectFrom("orders").selectAll().where("integration_id", "=", integration.id),
      },
      orderFromRow,
    ),
  );

  operation("retrieveOrder", async ({ params, integration }) =>
    orderFromRow(await findOrder(db, integration.id, params.order_id)),
  );

  operation("shipOrder", ({ params, body, integration, transaction }) =>
    transitionOrder({ clock, random, transaction }, integration.id, params.order_id, "ship", {
      shipping_carrier: body.carrier,
      shipping_tracking_number: body.tracking_number,
    }),
  );

  operation("cancelOrder", ({ params, body, integration, transaction }) =>
    transitionOrder({ clock, random, transaction }, integration.id, params.order_id, "cancel", {
      cancellation_reason: body.reason ?? null,
    }),
  );
}

export const ordersModule: RouteModule = { name: "orders", register };
