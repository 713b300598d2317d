import type { Logger } from "pino";
import type { DatabaseLocation } from "../db/connection.ts";
import type { Clock, Random } from "../deps.ts";
import { loadWebhookSettings } from "./settings.ts";
import { localPassStore } from "./store.ts";
import { StoreThread } from "./store-thread.ts";
import type { WebhookDb } from "./tables.ts";
import { DeliveryWorker } from "./worker.ts";

/**
 * Starts the delivery worker the way `npm start` and `wth worker` run it: settings from the
 * environment (WTH_WEBHOOK_*, WTH_ALLOW_PRIVATE_WEBHOOK_URLS). Given the database's `location`,
 * its passes run on a thread of their own with their own connection (store-thread.ts);
 * otherwise on `db`, in this thread.
 */
export function startDeliveryWorker(
  deps: {
    db: unknown;
    location?: DatabaseLocation;
    clock: Clock;
    random: Random;
    logger: Logger;
    secretKey: Buffer;
  },
  env: NodeJS.ProcessEnv = process.env,
): DeliveryWorker {
  const store =
    deps.location === undefined
      ? // The app's Kysely<Database> includes the webhook tables; this only names them.
        localPassStore(deps.db as WebhookDb, deps.random)
      : new StoreThread(
          // Passes run one at a time: one connection does, and a spare for a reconnect.
          { ...deps.location, poolSize: 2, applicationName: "wth webhook store" },
          deps.logger,
        );
  const worker = new DeliveryWorker({
    store,
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
