import type { Command } from "../main.ts";

const USAGE = `usage: wth worker

Runs the webhook delivery worker alone, against the database of DATA_DIR (or DATABASE_URL):
fans out new events, delivers them signed, retries on schedule and dead-letters. Any number of
workers (and servers) may share one database; leases keep them from sending an attempt twice.
Stops cleanly on SIGTERM / SIGINT, finishing the attempts in flight.

Settings: WTH_SECRET_KEY, WTH_ALLOW_PRIVATE_WEBHOOK_URLS, WTH_WEBHOOK_RETRY_SCHEDULE,
WTH_WEBHOOK_TIMEOUT_MS, WTH_WEBHOOK_LEASE_MS, WTH_WEBHOOK_CONCURRENCY, WTH_WEBHOOK_POLL_MS,
WTH_WEBHOOK_MAX_RESPONSE_BYTES, WTH_WEBHOOK_CONNECTIONS, WTH_WEBHOOK_JITTER_PERCENT (see README).
`;

export const command: Command = {
  summary: "run the webhook delivery worker alone (several may share one database)",
  async run(args) {
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (args.length > 0) {
      process.stderr.write(`wth worker: unexpected argument "${args[0]}"\n\n${USAGE}`);
      return 2;
    }
    const { loadConfig, loadSecretKey } = await import("../../../server/config.ts");
    const { openDatabase } = await import("../../../server/db/connection.ts");
    const { migrateToLatest } = await import("../../../server/db/migrate.ts");
    const { systemClock, systemRandom } = await import("../../../server/deps.ts");
    const { createLogger } = await import("../../../server/logger.ts");
    const { startDeliveryWorker } = await import("../../../server/webhooks/run.ts");

    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel });
    const secretKey = loadSecretKey(config);
    const location = { dataDir: config.dataDir, databaseUrl: config.databaseUrl };
    const handle = openDatabase({
      ...location,
      poolSize: config.databasePoolSize,
      applicationName: "wth worker",
    });
    await migrateToLatest(handle.db);
    const worker = startDeliveryWorker(
      { location, clock: systemClock, random: systemRandom, logger, secretKey },
      config.webhooks,
    );
    logger.info({ worker: worker.id, data: handle.location }, "webhook worker running");
    await new Promise<void>((resolve) => {
      process.once("SIGTERM", () => resolve());
      process.once("SIGINT", () => resolve());
    });
    await worker.stop();
    await handle.close();
    return 0;
  },
};
