import type { Generated, Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

/**
 * The webhook tables (migrations 0002_webhooks, 0003_webhook_event_seq). `server/db/schema.ts` adds them to `Database`.
 * Times are ISO 8601 UTC strings, which order correctly as text.
 */
export interface WebhookEndpointsTable {
  seq: Generated<number>;
  id: string;
  integration_id: string;
  url: string;
  description: string | null;
  /** JSON array of event types, or `["*"]`. */
  enabled_events: string;
  status: "enabled" | "disabled";
  disabled_reason: "manual" | "endpoint_gone" | null;
  /** AES-256-GCM sealed `whsec_` secret (see secret.ts); never the plaintext. */
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export type DeliveryStatus = "pending" | "succeeded" | "retrying" | "dead_lettered";

export interface WebhookDeliveriesTable {
  seq: Generated<number>;
  id: string;
  integration_id: string;
  event_id: string;
  /** The event's `seq`: how the delivery finds its event's payload (migration 0003). */
  event_seq: number | null;
  event_type: string;
  endpoint_id: string;
  /** The version the body was rendered in; with event_seq, the key of its webhook_payloads row. */
  api_version: string;
  status: DeliveryStatus;
  /** Attempts started, including one a crashed worker never finished. */
  attempt_count: Generated<number>;
  /** `attempt_count` when the current retry cycle began: recovery restarts the schedule. */
  retry_base: Generated<number>;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  dead_lettered_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The exact bytes (UTF-8) every attempt, recovery and replay of an event at a version sends. */
export interface WebhookPayloadsTable {
  /** With api_version, the key (the event's `seq`, which grows: inserts append). */
  event_seq: number;
  event_id: string;
  api_version: string;
  body: string;
  created_at: string;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt_number: number;
  worker_id: string;
  attempted_at: string;
  /** Null while in flight (or forever, if the worker died mid-attempt). */
  completed_at: string | null;
  status_code: number | null;
  duration_ms: number | null;
  error: string | null;
  response_snippet: string | null;
}

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  webhook_payloads: WebhookPayloadsTable;
}

/** The database as the webhook code sees it (schema.ts includes these tables in `Database`). */
export type WebhookDb = Kysely<Database & WebhookTables>;
