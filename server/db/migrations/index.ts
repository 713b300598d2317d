/**
 * Every migration, in order. Names are `NNNN_<what>`; Kysely runs them sorted by name, so a new
 * migration is a new file plus one line here.
 */
import type { Migration } from "kysely";
import * as m0001 from "./0001_core.ts";
import * as m0002 from "./0002_webhooks.ts";
import * as m0003 from "./0003_webhook_event_seq.ts";
import * as m0004 from "./0004_usage_counts.ts";
import * as m0005 from "./0005_idempotency_version.ts";

export const migrations: Record<string, Migration> = {
  "0001_core": m0001,
  "0002_webhooks": m0002,
  "0003_webhook_event_seq": m0003,
  "0004_usage_counts": m0004,
  "0005_idempotency_version": m0005,
};
