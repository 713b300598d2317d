import type { Router } from "express";
import type { Kysely } from "kysely";
import type { components } from "../../generated/newest.ts";
import type { Database, ListingRow, ListingsTable } from "../db/schema.ts";
import type { AppDeps } from "../deps.ts";
import { type EventType, recordEvent } from "../events/outbox.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { operationsOn, type RequestBody } from "../http/operation.ts";
import { readNewestFirst } from "../http/pagination.ts";
import type { RouteModule } from "../http/route-module.ts";
import { newId } from "../ids.ts";
import { assignDefined, parseMetadata } from "./mapping.ts";

export type Listing = components["schemas"]["Listing"];
type ListingStatus = ListingsTable["status"];

export function listingFromRow(row: Omit<ListingsTable, "seq">): Listing {
  return {
    id: row.id,
    object: "listing",
    brand: row.brand,
    model: row.model,
    reference_number: row.reference_number,
    year: row.year,
    condition: row.condition,
    box: row.box === 1,
    papers: row.papers === 1,
    price: Number(row.price),
    currency: row.currency,
    description: row.description,
    status: row.status,
    metadata: parseMetadata(row.metadata),
    created_at: row.created_at,
    updated_at: row.updated_at,
    published_at: row.published_at,
  };
}

export async function findListing(
  db: Kysely<Database>,
  integrationId: string,
  id: string,
  param = "listing_id",
): Promise<ListingRow> {
  const row = await db
    .selectFrom("listings")
    .selectAll()
    .where("id", "=", id)
    .where("integration_id", "=", integrationId)
    .executeTakeFirst();
  if (row === undefined) throw notFound(param, id, "listing");
  return row;
}

type ListingChanges = RequestBody<"updateListing">;

/** Update fields stored as they are, each in the column of the same name. */
const EDITABLE = [
  "brand",
  "model",
  "reference_number",
  "year",
  "condition",
  "price",
  "currency",
  "description",
] as const satisfies readonly (keyof ListingChanges & keyof ListingsTable)[];

/** The status changes the API allows directly; `sold` is reached only by creating an order. */
const TRANSITIONS: Record<
  "publish" | "archive",
  { from: ListingStatus[]; to: ListingStatus; event: EventType }
> = {
  publish: { from: ["draft"], to: "published", event: "listing.published" },
  archive: { from: ["draft", "published"], to: "archived", event: "listing.updated" },
};

function register(router: Router, deps: AppDeps): void {
  const { db, clock, random, secretKey } = deps;
  const operation = operationsOn(router, deps.db);

  operation("createListing", async ({ body, integration, transaction }) => {
    const now = clock.now().toISOString();
    const row: Omit<ListingsTable, "seq"> = {
      id: newId(random, "lst"),
      integration_id: integration.id,
      brand: body.brand,
      model: body.model,
      reference_number: body.reference_number,
      year: body.year ?? null,
      condition: body.condition,
      box: body.box ? 1 : 0,
      papers: body.papers ? 1 : 0,
      price: body.price,
      currency: body.currency,
      description: body.description ?? null,
      status: "draft",
      metadata: JSON.stringify(body.metadata ?? {}),
      created_at: now,
      updated_at: now,
      published_at: null,
    };
    const listing = listingFromRow(row);
    return transaction(async (trx) => {
      await trx.insertInto("listings").values(row).execute();
      await recordEvent(trx, deps, integration.id, "listing.created", listing);
      return listing;
    });
  });

  operation("listListings", ({ query, integration }) =>
    readNewestFirst(
      {
        secret: secretKey,
        integrationId: integration.id,
        list: "listings",
        query,
        equals: { status: "status", brand: "brand" },
        rows: db.selectFrom("listings").selectAll().where("integration_id", "=", integration.id),
      },
      listingFromRow,
    ),
  );

  operation("retrieveListing", async ({ params, integration }) =>
    listingFromRow(await findListing(db, integration.id, params.listing_id)),
  );

  operation("updateListing", ({ params, body, integration, transaction }) =>
    transaction(async (trx) => {
      const row = await findListing(trx, integration.id, params.listing_id);
      if (row.status !== "draft" && row.status !== "published") {
        throw new ApiError("listing_not_editable", `A ${row.status} listing cannot be changed.`);
      }
      const changes: Partial<Omit<ListingsTable, "seq">> = {
        updated_at: clock.now().toISOString(),
      };
      assignDefined(changes, body, EDITABLE);
      if (body.box !== undefined) changes.box = body.box ? 1 : 0;
      if (body.papers !== undefined) changes.papers = body.papers ? 1 : 0;
      if (body.metadata !== undefined) changes.metadata = JSON.stringify(body.metadata);
      const updated = { ...row, ...changes };
      // Guarded by status so that a concurrent sale between read and write is not overwritten.
      const result = await trx
        .updateTable("listings")
        .set(changes)
        .where("id", "=", row.id)
        .where("status", "=", row.status)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        throw new ApiError(
          "listing_not_editable",
          "The listing changed status while being updated.",
        );
      }
      const object = listingFromRow(updated);
      await recordEvent(trx, deps, integration.id, "listing.updated", object);
      return object;
    }),
  );

  for (const [operationId, action] of [
    ["publishListing", "publish"],
    ["archiveListing", "archive"],
  ] as const) {
    operation(operationId, ({ params, integration, transaction }) => {
      const rule = TRANSITIONS[action];
      return transaction(async (trx) => {
        const row = await findListing(trx, integration.id, params.listing_id);
        if (!rule.from.includes(row.status)) {
          throw new ApiError(
            "invalid_listing_transition",
            `Cannot ${action} a ${row.status} listing (allowed from: ${rule.from.join(", ")}).`,
          );
        }
        const now = clock.now().toISOString();
        const changes: Partial<Omit<ListingsTable, "seq">> = { status: rule.to, updated_at: now };
        if (rule.to === "published") changes.published_at = now;
        const result = await trx
          .updateTable("listings")
          .set(changes)
          .where("id", "=", row.id)
          .where("status", "=", row.status)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) {
          throw new ApiError(
            "invalid_listing_transition",
            "The listing changed status meanwhile; retry.",
          );
        }
        const object = listingFromRow({ ...row, ...changes });
        await recordEvent(trx, deps, integration.id, rule.event, object);
        return object;
      });
    });
  }
}

export const listingsModule: RouteModule = { name: "listings", register };
