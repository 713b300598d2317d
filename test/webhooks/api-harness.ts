import fs from "node:fs/promises";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { createApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { type AppDeps, type Clock, systemClock, systemRandom } from "../../server/deps.ts";
import { OutboxBell } from "../../server/events/outbox-bell.ts";
import { createIntegration, type Mode } from "../../server/integrations.ts";
import { defaultRouteModules } from "../../server/routes.ts";
import { loadVersionRegistry, repoRoot } from "../../server/versions/registry.ts";
import { startDeliveryWorker } from "../../server/webhooks/run.ts";
import type { WebhookDb } from "../../server/webhooks/tables.ts";
import type { DeliveryWorker } from "../../server/webhooks/worker.ts";
import { createTestDatabase } from "../support/database.ts";
import { silentLogger } from "./harness.ts";

/**
 * The real app (validation of requests and responses on) on 127.0.0.1 with an embedded worker
 * (its store on a thread of its own), over a fresh database; webhook URLs may point at loopback receivers unless told otherwise.
 */
export interface ApiServer {
  baseUrl: string;
  db: WebhookDb;
  integration(mode?: Mode): Promise<{ id: string; key: string }>;
  call(
    key: string,
    method: string,
    url: string,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startApiServer(
  opts: {
    allowPrivate?: boolean;
    env?: NodeJS.ProcessEnv;
    clock?: Clock;
    /** false: no in-process bell, as when the worker runs in another process. */
    bell?: boolean;
  } = {},
): Promise<ApiServer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-webhooks-api-"));
  const database = await createTestDatabase({ dir });
  const handle = database.handle;
  const generatedDir = process.env.WTH_TEST_GENERATED_DIR ?? path.join(repoRoot, "generated");
  const deps: AppDeps = {
    db: handle.db,
    clock: opts.clock ?? systemClock,
    random: systemRandom,
    logger: silentLogger,
    secretKey: Buffer.from("webhooks-api-test-secret-key-0123456789"),
    versions: loadVersionRegistry({ generatedDir }),
    settings: {
      validateRequests: true,
      validateResponses: true,
      rateLimit: { perSecond: 100_000, burst: 100_000 },
      idempotencyRetentionMs: 86_400_000,
      idempotencyLockTimeoutMs: 60_000,
      generatedDir,
    },
    outboxBell: opts.bell === false ? undefined : new OutboxBell(),
  };
  const allowPrivate = opts.allowPrivate ?? true;
  const modules = defaultRouteModules({ allowPrivateWebhookUrls: allowPrivate });
  const { app, usage } = createApp(deps, modules);
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as { port: number };
  // As `npm start` runs it: passes on a thread of their own, with its own connection.
  const location = { dataDir: dir, databaseUrl: database.url };
  const worker: DeliveryWorker = startDeliveryWorker(
    { ...deps, location },
    loadConfig({
      WTH_ALLOW_PRIVATE_WEBHOOK_URLS: allowPrivate ? "1" : "0",
      WTH_WEBHOOK_RETRY_SCHEDULE: "0,0.02,0.02",
      WTH_WEBHOOK_POLL_MS: "5",
      // Generous: a loaded CI machine must not turn a slow 2xx into a timeout.
      WTH_WEBHOOK_TIMEOUT_MS: "5000",
      ...opts.env,
    }).webhooks,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    db: handle.db as WebhookDb,
    async integration(mode = "test") {
      const { integration, apiKey } = await createIntegration(deps, {
        name: "Webhooks API test",
        mode,
        apiVersion: deps.versions.newest,
      });
      return { id: integration.id, key: apiKey };
    },
    async call(key, method, url, body) {
      const res = await fetch(`${baseUrl}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text === "" ? undefined : JSON.parse(text),
        headers: res.headers,
      };
    },
    async close() {
      await worker.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await usage.stop();
      await database.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
