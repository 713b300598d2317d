import type { Router } from "express";
import type { Kysely } from "kysely";
import type { components } from "../../generated/newest.ts";
import type { CustomerRow, CustomersTable, Database } from "../db/schema.ts";
import type { AppDeps } from "../deps.ts";
import { recordEvent } from "../events/outbox.ts";
import { notFound } from "../http/errors.ts";
import { operationsOn } from "../http/operation.ts";
import { readNewestFirst } from "../http/pagination.ts";
import type { RouteModule } from "../http/route-module.ts";
import { newId } from "../ids.ts";
import { parseMetadata } from "./mapping.ts";

export type Customer = components["schemas"]["Customer"];
type ShippingAddress = components["schemas"]["ShippingAddress"];

export function customerFromRow(row: Omit<CustomersTable, "seq">): Customer {
  return {
    id: row.id,
    object: "customer",
    email: row.email,
    name: row.name,
    phone: row.phone,
    shipping_address:
      row.shipping_address === null
        ? null
        : // Written by addressText from a validated address.
          (JSON.parse(row.shipping_address) as ShippingAddress),
    metadata: parseMetadata(row.metadata),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** `line2` is optional on input and always present (possibly null) on output. */
function addressText(address: ShippingAddress | null | undefined): string | null {
  if (address === null || address === undefined) return null;
  const stored: Required<ShippingAddress> = {
    line1: address.line1,
    line2: address.line2 ?? null,
    city: address.city,
    postal_code: address.postal_code,
    country: address.country,
  };
  return JSON.stringify(stored);
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
  const operation = operationsOn(router, deps.db);

  operation("createCustomer", async ({ body, integration, transaction }) => {
    const now = clock.now().toISOString();
    const row: Omit<CustomersTable, "seq"> = {
      id: newId(random, "cus"),
      integration_id: integration.id,
      email: body.email,
      name: body.name,
      phone: body.phone ?? null,
      shipping_address: addressText(body.shipping_address),
      metadata: JSON.stringify(body.metadata ?? {}),
      created_at: now,
      updated_at: now,
    };
    const customer = customerFromRow(row);
    return transaction(async (trx) => {
      await trx.insertInto("customers").values(row).execute();
      await recordEvent(trx, deps, integration.id, "customer.created", customer);
      return customer;
    });
  });

  operation("listCustomers", ({ query, integration }) =>
    readNewestFirst(
      {
        secret: secretKey,
        integrationId: integration.id,
        list: "customers",
        query,
        equals: { email: "email" },
        rows: db.selectFrom("customers").selectAll().where("integration_id", "=", integration.id),
      },
      customerFromRow,
    ),
  );

  operation("retrieveCustomer", async ({ params, integration }) =>
    customerFromRow(await findCustomer(db, integration.id, params.customer_id)),
  );

  operation("updateCustomer", ({ params, body, integration, transaction }) =>
    transaction(async (trx) => {
      const row = await findCustomer(trx, integration.id, params.customer_id);
      const changes: Partial<Omit<CustomersTable, "seq">> = {
        updated_at: clock.now().toISOString(),
      };
      if (body.email !== undefined) changes.email = body.email;
      if (body.name !== undefined) changes.name = body.name;
      if (body.phone !== undefined) changes.phone = body.phone;
      if (body.shipping_address !== undefined)
        changes.shipping_address = addressText(body.shipping_address);
      if (body.metadata !== undefined) changes.metadata = JSON.stringify(body.metadata);
      await trx.updateTable("customers").set(changes).where("id", "=", row.id).execute();
      const object = customerFromRow({ ...row, ...changes });
      await recordEvent(trx, deps, integration.id, "customer.updated", object);
      return object;
    }),
  );
}

export const customersModule: RouteModule = { name: "customers", register };
