import type { Router } from "express";
import type { Kysely } from "kysely";
import type { Database, ListingRow, ListingsTable } from "../db/schema.ts";
import type { AppDeps } from "../deps.ts";
import { type EventType, recordEvent } from "../events/outbox.ts";
import { integrationOf } from "../http/context.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { readNewestFirst } from "../http/pagination.ts";
import { bodyOf, queryOf, sendObject, sendPage } from "../http/respond.ts";
import type { RouteModule } from "../http/route-module.ts";
import { newId } from "../ids.ts";
import type { JsonObject } from "../versions/index.ts";

type ListingStatus = ListingsTable["status"];

export function listingFromRow(row: Omit<ListingsTable, "seq">): JsonObject {
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
    metadata: JSON.parse(row.metadata) as JsonObject,
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

const EDITABLE = [
  "brand",
  "model",
  "reference_number",
  "year",
  "condition",
  "price",
  "currency",
  "description",
] as const;

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

  router.post("/v1/listings", async (req, res) => {
    const integrationId = integrationOf(res).id;
    const body = bodyOf(req, res);
    const now = clock.now().toISOString();
    const row: Omit<ListingsTable, "seq"> = {
      id: newId(random, "lst"),
      integration_id: integrationId,
      brand: String(body.brand),
      model: String(body.model),
      reference_number: String(body.reference_number),
      year: (body.year as number | null | undefined) ?? null,
      condition: String(body.condition),
      box: body.box === true ? 1 : 0,
      papers: body.papers === true ? 1 : 0,
      price: Number(body.price),
      currency: String(body.currency),
      description: (body.description as string | null | undefined) ?? null,
      status: "draft",
      metadata: JSON.stringify(body.metadata ?? {}),
      created_at: now,
      updated_at: now,
      published_at: null,
    };
    const listing = listingFromRow(row);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("listings").values(row).execute();
      await recordEvent(trx, deps, integrationId, "listing.created", listing);
    });
    sendObject(res, 201, "Listing", listing);
  });

  router.get("/v1/listings", async (req, res) => {
    const integrationId = integrationOf(res).id;
    const page = await readNewestFirst(
      {
        secret: secretKey,
        integrationId,
        list: "listings",
        query: queryOf(req),
        equals: { status: "status", brand: "brand" },
        rows: db.selectFrom("listings").selectAll().where("integration_id", "=", integrationId),
      },
      listingFromRow,
    );
    sendPage(res, "Listing", page);
  });

  router.get("/v1/listings/:listing_id", async (req, res) => {
    const row = await findListing(db, integrationOf(res).id, String(req.params.listing_id));
    sendObject(res, 200, "Listing", listingFromRow(row));
  });

  router.patch("/v1/listings/:listing_id", async (req, res) => {
    const integrationId = integrationOf(res).id;
    const body = bodyOf(req, res);
    const listing = await db.transaction().execute(async (trx) => {
      const row = await findListing(trx, integrationId, String(req.params.listing_id));
      if (row.status !== "draft" && row.status !== "published") {
        throw new ApiError("listing_not_editable", `A ${row.status} listing cannot be changed.`);
      }
      const changes: Partial<Omit<ListingsTable, "seq">> = {
        updated_at: clock.now().toISOString(),
      };
      for (const field of EDITABLE) {
        if (body[field] !== undefined) (changes as Record<string, unknown>)[field] = body[field];
      }
      if (body.box !== undefined) changes.box = body.box === true ? 1 : 0;
      if (body.papers !== undefined) changes.papers = body.papers === true ? 1 : 0;
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
      await recordEvent(trx, deps, integrationId, "listing.updated", object);
      return object;
    });
    sendObject(res, 200, "Listing", listing);
  });

  for (const action of ["publish", "archive"] as const) {
    router.post(`/v1/listings/:listing_id/${action}`, async (req, res) => {
      const integrationId = integrationOf(res).id;
      const rule = TRANSITIONS[action];
      const listing = await db.transaction().execute(async (trx) => {
        const row = await findListing(trx, integrationId, String(req.params.listing_id));
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
        await recordEvent(trx, deps, integrationId, rule.event, object);
        return object;
      });
      sendObject(res, 200, "Listing", listing);
    });
  }
}

export const listingsModule: RouteModule = { name: "listings", register };
