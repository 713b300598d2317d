import type { Logger } from "pino";
import type { Clock, Random } from "../deps.ts";
import { loadWebhookSettings } from "./settings.ts";
import type { WebhookDb } from "./tables.ts";
import { DeliveryWorker } from "./worker.ts";

/**
 * Starts the delivery worker the way `npm start` and `wth worker` run it: settings from the
 * environment (WTH_WEBHOOK_*, WTH_ALLOW_PRIVATE_WEBHOOK_URLS).
 */
export function startDeliveryWorker(
  deps: { db: unknown; clock: Clock; random: Random; logger: Logger; secretKey: Buffer },
  env: NodeJS.ProcessEnv = process.env,
): DeliveryWorker {
  const worker = new DeliveryWorker({
    // The app's Kysely<Database> includes the webhook tables; this only names them.
    db: deps.db as WebhookDb,
    clock: deps.clock,
    random: deps.random,
    logger: deps.logger,
    secretKey: deps.secretKey,
    settings: loadWebhookSettings(env),
  });
  worker.start();
  return worker;
}

/** `WTH_WEBHOOK_WORKER=0` keeps the worker out of the server process (run `wth worker` instead). */
export function embeddedWorkerEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.WTH_WEBHOOK_WORKER !== "0";
}
