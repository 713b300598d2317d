import type { Logger } from "pino";
import type { DatabaseLocation } from "../db/connection.ts";
import type { Clock, Random } from "../deps.ts";
import type { OutboxBell } from "../events/outbox-bell.ts";
import type { WebhookSettings } from "./settings.ts";
import { StoreThread } from "./store-thread.ts";
import { DeliveryWorker } from "./worker.ts";

/**
 * Starts the delivery worker the way `npm start` and `wth worker` run it: settings from the
 * configuration (server/config.ts), its passes on a thread of their own with their own
 * connection to the database at `location` (store-thread.ts).
 */
export function startDeliveryWorker(
  deps: {
    location: DatabaseLocation;
    clock: Clock;
    random: Random;
    logger: Logger;
    secretKey: Buffer;
    /** The app's bell, when the worker runs in the server's process. */
    outboxBell?: OutboxBell;
  },
  settings: WebhookSettings,
): DeliveryWorker {
  const worker = new DeliveryWorker({
    store: new StoreThread(
      // Passes run one at a time: one connection does, and a spare for a reconnect.
      { ...deps.location, poolSize: 2, applicationName: "wth webhook store" },
      deps.logger,
    ),
    clock: deps.clock,
    random: deps.random,
    logger: deps.logger,
    secretKey: deps.secretKey,
    settings,
    bell: deps.outboxBell,
  });
  worker.start();
  return worker;
}
