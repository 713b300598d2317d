import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { EVENT_EXAMPLES } from "../../generated/newest.ts";
import type { DatabaseLocation } from "../../server/db/connection.ts";
import type { Clock, Random } from "../../server/deps.ts";
import { EVENT_TYPES, type EventType, storeEvent } from "../../server/events/outbox.ts";
import { createIntegration, type Integration, type Mode } from "../../server/integrations.ts";
import type { JsonObject } from "../../server/versions/index.ts";
import {
  type CreateEndpointBody,
  createEndpoint,
  type EndpointDeps,
} from "../../server/webhooks/endpoints.ts";
import { SecretBox } from "../../server/webhooks/secret.ts";
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from "../../server/webhooks/settings.ts";
import { localPassStore } from "../../server/webhooks/store.ts";
import type { WebhookDb } from "../../server/webhooks/tables.ts";
import { DeliveryWorker } from "../../server/webhooks/worker.ts";
import { createTestDatabase } from "../support/database.ts";

/** A real SQLite database in a fresh temp dir, migrated, plus helpers to drive webhooks. */
export const MASTER_KEY = "test-master-key-of-at-least-32-characters";
export const API_VERSION = "2026-05-07";

export interface Harness {
  dir: string;
  db: WebhookDb;
  /** Where another thread or process opens this same database. */
  location: DatabaseLocation;
  clock: Clock;
  random: Random;
  endpointDeps: EndpointDeps;
  integration(mode?: Mode): Promise<Integration>;
  endpoint(
    integration: Integration,
    url: string,
    enabledEvents?: CreateEndpointBody["enabled_events"],
  ): Promise<{ id: string; secret: string }>;
  event(integration: Integration, type: EventType | string, object?: JsonObject): Promise<string>;
  worker(settings?: Partial<WebhookSettings>): DeliveryWorker;
  close(): Promise<void>;
}

export const silentLogger = pino({ level: "silent" });

export function fastSettings(overrides: Partial<WebhookSettings> = {}): WebhookSettings {
  return {
    ...DEFAULT_WEBHOOK_SETTINGS,
    retry: { scheduleMs: [0, 20, 20, 20], jitter: 0 },
    timeoutMs: 5_000,
    leaseMs: 5_000,
    pollMs: 5,
    allowPrivate: true,
    ...overrides,
  };
}

export async function openHarness(clock: Clock, random: Random): Promise<Harness> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-webhooks-"));
  const database = await createTestDatabase({ dir });
  const handle = database.handle;
  const db = handle.db as WebhookDb;
  const endpointDeps: EndpointDeps = {
    db,
    clock,
    random,
    box: new SecretBox(MASTER_KEY, random),
    allowPrivate: true,
  };
  const workers: DeliveryWorker[] = [];
  let n = 0;
  return {
    dir,
    db,
    location: { dataDir: dir, databaseUrl: database.url },
    clock,
    random,
    endpointDeps,
    async integration(mode = "test") {
      const { integration } = await createIntegration(
        { db: handle.db, clock, random },
        { name: `integration ${++n}`, mode, apiVersion: API_VERSION },
      );
      return integration;
    },
    async endpoint(integration, url, enabledEvents = ["*"]) {
      const { row, secret } = await createEndpoint(endpointDeps, integration, {
        url,
        enabled_events: enabledEvents,
      });
      return { id: row.id, secret };
    },
    async event(
      integration,
      type,
      object = eventObject(type as EventType, { id: testId("lst", ++n), brand: "Rolex" }),
    ) {
      const row = await db
        .transaction()
        .execute((trx) => storeEvent(trx, { clock, random }, integration.id, type, object));
      return row.id;
    },
    worker(settings = {}) {
      const worker = new DeliveryWorker({
        store: localPassStore(db, random),
        clock,
        random,
        logger: silentLogger,
        secretKey: MASTER_KEY,
        settings: fastSettings(settings),
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await database.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A valid `data.object` for an event type: the document's own example with `overrides` on top,
 * since outside production every webhook body is validated against the pinned version's document.
 */
export function eventObject(type: EventType, overrides: JsonObject = {}): JsonObject {
  if (!EVENT_TYPES.includes(type)) throw new Error(`no example for event type ${type}`);
  return { ...(EVENT_EXAMPLES[type] as JsonObject), ...overrides };
}

/** An ID of the document's shape (`<prefix>_` and 8 to 64 letters or digits) numbered `n`. */
export function testId(prefix: string, n: number): string {
  return `${prefix}_${String(n).padStart(8, "0")}`;
}
