/**
 * Table interfaces for Kysely. Columns are dialect-neutral: JSON is stored as text, times as
 * ISO 8601 UTC strings, booleans as integers 0/1, and every listable table has an integer `seq`
 * (autoincrement) that orders keyset pagination. Other parts (webhooks) add their tables by
 * extending `Database` in their own module and appending a migration to `migrations/index.ts`.
 * Enumerated columns take their values from the newest document's schemas.
 */
import type { ColumnType, Generated, Selectable } from "kysely";
import type { components } from "../../generated/newest.ts";
import type { WebhookTables } from "../webhooks/tables.ts";

export interface IntegrationsTable {
  seq: Generated<number>;
  id: string;
  name: string;
  mode: "test" | "live";
  api_version: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  integration_id: string;
  /** First characters of the key's random part, used to find candidate rows; not secret. */
  lookup: string;
  /** sha256 of the whole key, hex. */
  hash: string;
  created_at: string;
  revoked_at: string | null;
  /** When a request last authenticated with it, to the recorder's flush period; null if never. */
  last_used_at: Generated<string | null>;
}

/** Requests per integration, operationId and UTC day (`YYYY-MM-DD`); kept 30 days. */
export interface UsageCountsTable {
  integration_id: string;
  operation_id: string;
  day: string;
  count: ColumnType<number | string, number, number | string>;
}

export interface ListingsTable {
  seq: Generated<number>;
  id: string;
  integration_id: string;
  brand: string;
  model: string;
  reference_number: string;
  year: number | null;
  condition: components["schemas"]["ListingCondition"];
  box: number;
  papers: number;
  price: number;
  currency: string;
  description: string | null;
  status: components["schemas"]["ListingStatus"];
  metadata: string;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

export interface CustomersTable {
  seq: Generated<number>;
  id: string;
  integration_id: string;
  email: string;
  name: string;
  phone: string | null;
  shipping_address: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
}

export interface OrdersTable {
  seq: Generated<number>;
  id: string;
  integration_id: string;
  listing_id: string;
  customer_id: string;
  amount: number;
  currency: string;
  status: components["schemas"]["OrderStatus"];
  shipping_carrier: string | null;
  shipping_tracking_number: string | null;
  cancellation_reason: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  shipped_at: string | null;
  delivered_at: string | null;
  cancelled_at: string | null;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  integration_id: string;
  type: string;
  /** The object at the NEWEST version, JSON text; rendered down per reader. */
  data: string;
  created_at: string;
  /** Set by the webhook worker once it has fanned the event out into deliveries. */
  dispatched_at: string | null;
}

export interface IdempotencyKeysTable {
  integration_id: string;
  key: string;
  request_hash: string;
  state: "in_flight" | "completed";
  response_status: number | null;
  response_body: string | null;
  /** The version the stored response was rendered in (null: stored before 0005). */
  api_version: string | null;
  locked_at: string;
  created_at: string;
}

export interface Database extends WebhookTables {
  integrations: IntegrationsTable;
  api_keys: ApiKeysTable;
  listings: ListingsTable;
  customers: CustomersTable;
  orders: OrdersTable;
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  usage_counts: UsageCountsTable;
}

export type ListingRow = Selectable<ListingsTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type OrderRow = Selectable<OrdersTable>;
export type EventRow = Selectable<EventsTable>;
