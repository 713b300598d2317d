import type { Router } from "express";
import type { Kysely } from "kysely";
import type { CustomerRow, CustomersTable, Database } from "../db/schema.ts";
import type { AppDeps } from "../deps.ts";
import { recordEvent } from "../events/outbox.ts";
import { integrationOf } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { readNewestFirst } from "../http/pagination.ts";
import { bodyOf, queryOf, sendObject, sendPage } from "../http/respond.ts";
import type { RouteModule } from "../http/route-module.ts";
import { newId } from "../ids.ts";
import type { JsonObject } from "../versions/index.ts";

export function customerFromRow(row: Omit<CustomersTable, "seq">): JsonObject {
  return {
    id: row.id,
    object: "customer",
    email: row.email,
    name: row.name,
    phone: row.phone,
    shipping_address:
      row.shipping_address === null ? null : (JSON.parse(row.shipping_address) as JsonObject),
    metadata: JSON.parse(row.metadata) as JsonObject,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** `line2` is optional on input and always present (possibly null) on output. */
function addressText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const a = value as JsonObject;
  return JSON.stringify({
    line1: a.line1,
    line2: a.line2 ?? null,
    city: a.city,
    postal_code: a.postal_code,
    country: a.country,
  });
}

export async function findCustomer(
  db: Kysely<Database>,
  integrationId: string,
  id: string,
  param = "customer_id",
): Promise<CustomerRow> {
  const row = await db
    .selectFrom("customers")
    .selectAll()
    .where("id", "=", id)
    .where("integration_id", "=", integrationId)
    .executeTakeFirst();
  if (row === undefined) throw notFound(param, id, "customer");
  return row;
}

function register(router: Router, deps: AppDeps): void {
  const { db, clock, random, secretKey } = deps;

  router.post("/v1/customers", async (req, res) => {
    const integrationId = integrationOf(res).id;
    const body = bodyOf(req, res);
    const now = clock.now().toISOString();
    const row: Omit<CustomersTable, "seq"> = {
      id: newId(random, "cus"),
      integration_id: integrationId,
      email: String(body.email),
      name: String(body.name),
      phone: (body.phone as string | null | undefined) ?? null,
      shipping_address: addressText(body.shipping_address),
      metadata: JSON.stringify(body.metadata ?? {}),
      created_at: now,
      updated_at: now,
    };
    const customer = customerFromRow(row);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("customers").values(row).execute();
      await recordEvent(trx, deps, integrationId, "customer.created", customer);
    });
    sendObject(res, 201, "Customer", customer);
  });

  router.get("/v1/customers", async (req, res) => {
    const integrationId = integrationOf(res).id;
    const page = await readNewestFirst(
      {
        secret: secretKey,
        integrationId,
        list: "customers",
        query: queryOf(req),
        equals: { email: "email" },
        rows: db.selectFrom("customers").selectAll().where("integration_id", "=", integrationId),
      },
      customerFromRow,
    );
    sendPage(res, "Customer", page);
  });

  router.get("/v1/customers/:customer_id", async (req, res) => {
    const row = await findCustomer(db, integrationOf(res).id, String(req.params.customer_id));
    sendObject(res, 200, "Customer", customerFromRow(row));
  });

  router.patch("/v1/customers/:customer_id", async (req, res) => {
    const integrationId = integrationOf(res).id;
    const body = bodyOf(req, res);
    const customer = await db.transaction().execute(async (trx) => {
      const row = await findCustomer(trx, integrationId, String(req.params.customer_id));
      const changes: Partial<Omit<CustomersTable, "seq">> = {
        updated_at: clock.now().toISOString(),
      };
      if (body.email !== undefined) changes.email = String(body.email);
      if (body.name !== undefined) changes.name = String(body.name);
      if (body.phone !== undefined) changes.phone = body.phone as string | null;
      if (body.shipping_address !== undefined)
        changes.shipping_address = addressText(body.shipping_address);
      if (body.metadata !== undefined) changes.metadata = JSON.stringify(body.metadata);
      await trx.updateTable("customers").set(changes).where("id", "=", row.id).execute();
      const object = customerFromRow({ ...row, ...changes });
      await recordEvent(trx, deps, integrationId, "customer.updated", object);
      return object;
    });
    sendObject(res, 200, "Customer", customer);
  });
}

export const customersModule: RouteModule = { name: "customers", register };
