/**
 * Starts the server: config from the environment (read once, server/config.ts), database + migrations, the demo integration
 * on an empty database, listen, and a clean drain on SIGTERM / SIGINT.
 */
import type http from "node:http";
import path from "node:path";
import type { Logger } from "pino";
import { createApp } from "./app.ts";
import { ensureDemoIntegration } from "./bootstrap.ts";
import { loadConfig, loadSecretKey, type ServerConfig } from "./config.ts";
import { openDatabase } from "./db/connection.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { type AppDeps, type AppSettings, systemClock, systemRandom } from "./deps.ts";
import { OutboxBell } from "./events/outbox-bell.ts";
import { purgeIdempotencyKeys } from "./http/idempotency.ts";
import { createLogger } from "./logger.ts";
import { prepareConversions, versionChanges } from "./versions/index.ts";
import { loadVersionRegistry, repoRoot } from "./versions/registry.ts";
import { proveAtStartup } from "./versions/startup-proof.ts";
import { startDeliveryWorker } from "./webhooks/run.ts";

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Stops accepting, waits for in-flight requests (up to the grace period), closes the DB. */
  shutdown(signal?: string): Promise<void>;
  /** Resolves once the embedded worker's store is open (at once without one). */
  workerReady(): Promise<void>;
}

export interface StartOptions {
  config?: ServerConfig;
  logger?: Logger;
  /** Overrides for benchmarks (validation off) and tests (small rate limits). */
  settings?: Partial<AppSettings>;
  /** Where the demo key is printed; stdout by default, never the logger. */
  announce?: (line: string) => void;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const config = opts.config ?? loadConfig();
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const announce = opts.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const versions = loadVersionRegistry();
  // Every conversion an older pin can need is compiled now, so none fails after a write.
  for (const entry of versions.entries) prepareConversions(entry.version);
  if (!config.production) {
    // Outside production, old pins are proven before they are served (cached by content hash).
    const outcome = await proveAtStartup(repoRoot, versionChanges);
    if (outcome === "proved") logger.info({}, "version proof passed");
  }
  const secretKey = loadSecretKey(config);
  if (config.databaseUrl !== undefined && config.secretKey === undefined) {
    // Instances that share a database must share the secret (cursors, sealed webhook secrets).
    logger.warn(
      { secret_file: path.join(config.dataDir, "secret.key") },
      "DATABASE_URL is set but WTH_SECRET_KEY is not: this instance uses its DATA_DIR secret; give every instance sharing the database the same WTH_SECRET_KEY",
    );
  }
  const location = { dataDir: config.dataDir, databaseUrl: config.databaseUrl };
  const handle = openDatabase({
    ...location,
    poolSize: config.databasePoolSize,
    applicationName: "wth serve",
  });
  const applied = await migrateToLatest(handle.db);
  if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");

  // A demo key printed to stdout ends up in production log collectors; there, operators create
  // integrations with `wth integrations create` instead.
  const demo = config.production
    ? undefined
    : await ensureDemoIntegration({
        db: handle.db,
        clock: systemClock,
        random: systemRandom,
        apiVersion: versions.newest,
      });

  const settings: AppSettings = {
    validateRequests: true,
    validateResponses: !config.production,
    rateLimit: config.rateLimit,
    authFailureLimit: config.authFailureLimit,
    trustProxyHops: config.trustProxyHops,
    allowPrivateWebhookUrls: config.webhooks.allowPrivate,
    checkWebhookBodies: config.webhooks.checkBodies,
    idempotencyRetentionMs: 24 * 60 * 60 * 1000,
    idempotencyLockTimeoutMs: 60 * 1000,
    generatedDir: path.join(repoRoot, "generated"),
    ...opts.settings,
  };
  const deps: AppDeps = {
    db: handle.db,
    clock: systemClock,
    random: systemRandom,
    logger,
    secretKey,
    versions,
    settings,
    outboxBell: new OutboxBell(),
  };
  const { app, beginDrain, inFlight, usage } = createApp(deps);

  const server = await new Promise<http.Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (err?: Error) =>
      err ? reject(err) : resolve(s),
    );
  });
  server.keepAliveTimeout = 5_000;
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  logger.info({ port, data: handle.location, api_version: versions.newest }, "listening");

  if (demo !== undefined) {
    announce(
      [
        "",
        `Demo integration ${demo.integration.id} (test mode, API version ${demo.integration.api_version}).`,
        `Its API key, shown only this once: ${demo.apiKey}`,
        `Try: curl -H "Authorization: Bearer ${demo.apiKey}" http://localhost:${port}/v1/integration`,
        `Docs: http://localhost:${port}/docs`,
        "",
      ].join("\n"),
    );
  }

  const purge = setInterval(
    () => {
      purgeIdempotencyKeys(handle.db, new Date(Date.now() - settings.idempotencyRetentionMs)).catch(
        (err: unknown) => logger.warn({ err }, "purging idempotency keys failed"),
      );
    },
    60 * 60 * 1000,
  );
  purge.unref();

  // Webhook delivery runs inside the server unless WTH_WEBHOOK_WORKER=0 (then `wth worker`).
  const worker = config.embeddedWorker
    ? startDeliveryWorker({ ...deps, location }, config.webhooks)
    : undefined;

  let closing: Promise<void> | undefined;
  const shutdown = (signal?: string): Promise<void> => {
    closing ??= (async () => {
      logger.info({ signal, in_flight: inFlight() }, "draining");
      clearInterval(purge);
      beginDrain();
      const workerStopped = worker?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + config.shutdownGraceMs;
      while (inFlight() > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      server.closeAllConnections();
      await closed;
      await workerStopped;
      await usage.stop();
      await handle.close();
      logger.info("stopped");
    })();
    return closing;
  };
  return { server, port, shutdown, workerReady: async () => worker?.storeReady() };
}

/** `wth serve` / `npm start`: run until SIGTERM or SIGINT. */
export async function runServerProcess(): Promise<number> {
  const running = await startServer();
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      running.shutdown(signal).then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
