/**
 * Starts the real app on 127.0.0.1 (random port) over a fresh SQLite file in an OS temp dir,
 * with captured structured logs, and offers a small HTTP client for tests.
 */
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { Kysely } from "kysely";
import { createApp } from "../../server/app.ts";
import type { Database } from "../../server/db/schema.ts";
import {
  type AppDeps,
  type AppSettings,
  type Clock,
  systemClock,
  systemRandom,
} from "../../server/deps.ts";
import { createIntegration, type Mode } from "../../server/integrations.ts";
import { createLogger } from "../../server/logger.ts";
import type { UsageRecorder } from "../../server/usage/recorder.ts";
import { loadVersionRegistry, repoRoot } from "../../server/versions/registry.ts";
import { createTestDatabase } from "../support/database.ts";

export const generatedDir = process.env.WTH_TEST_GENERATED_DIR ?? path.join(repoRoot, "generated");

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  body: any;
  text: string;
}

export interface RequestOptions {
  key?: string | null;
  body?: unknown;
  /** Sent verbatim instead of JSON.stringify(body). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Sent to this origin instead of the server's, e.g. a proxy in front of it (test/support/prism.ts). */
  via?: string;
}

export interface TestServer {
  baseUrl: string;
  db: Kysely<Database>;
  deps: AppDeps;
  logs: string[];
  dir: string;
  integration(mode?: Mode, name?: string): Promise<{ id: string; key: string }>;
  request(method: string, url: string, opts?: RequestOptions): Promise<Reply>;
  /** What SIGTERM does to the app: later requests get 503 service_unavailable. */
  beginDrain(): void;
  /** The app's usage recorder (flush() writes the counts now). */
  usage: UsageRecorder;
  close(): Promise<void>;
}

const agent = new http.Agent({ keepAlive: true });

/** node:http rather than fetch: tests need bodies on GET and exact control of headers. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    const allHeaders =
      body === undefined
        ? headers
        : { ...headers, "content-length": String(Buffer.byteLength(body)) };
    const req = http.request(url, { method, headers: allHeaders, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const h = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) h.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: h,
          text: Buffer.concat(chunks).toString("utf8"),
        });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

export async function startTestServer(
  opts: { settings?: Partial<AppSettings>; clock?: Clock } = {},
): Promise<TestServer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-server-"));
  const database = await createTestDatabase({ dir, file: "test.sqlite" });
  const handle = database.handle;
  const logs: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  });
  const settings: AppSettings = {
    validateRequests: true,
    validateResponses: true,
    rateLimit: { perSecond: 10_000, burst: 10_000 },
    authFailureLimit: { perSecond: 10_000, burst: 10_000 },
    idempotencyRetentionMs: 24 * 3600 * 1000,
    idempotencyLockTimeoutMs: 60_000,
    generatedDir,
    ...opts.settings,
  };
  const deps: AppDeps = {
    db: handle.db,
    clock: opts.clock ?? systemClock,
    random: systemRandom,
    logger,
    secretKey: Buffer.from("test-secret-key-test-secret-key-0123456789"),
    versions: loadVersionRegistry({ generatedDir }),
    settings,
  };
  const { app, beginDrain, usage } = createApp(deps);
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const address = server.address();
  if (address === null || typeof address !== "object") throw new Error("no address");
  const baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    baseUrl,
    db: handle.db,
    deps,
    logs,
    dir,
    async integration(mode = "test", name = "Test integration") {
      const { integration, apiKey } = await createIntegration(deps, {
        name,
        mode,
        apiVersion: deps.versions.newest,
      });
      return { id: integration.id, key: apiKey };
    },
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.key !== undefined && o.key !== null) headers.authorization = `Bearer ${o.key}`;
      let body: string | undefined;
      if (o.rawBody !== undefined) body = o.rawBody;
      else if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers["content-type"] ??= "application/json";
      }
      const res = await send(`${o.via ?? baseUrl}${url}`, method, headers, body);
      const text = res.text;
      let parsed: unknown;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    beginDrain,
    usage,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await usage.stop();
      await database.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** A valid listing body; override fields per test. */
export function listingBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    brand: "Omega",
    model: "Speedmaster Professional",
    reference_number: "310.30.42.50.01.001",
    condition: "excellent",
    price: 650000,
    currency: "EUR",
    ...overrides,
  };
}

export function customerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { email: "ada@example.com", name: "Ada Lovelace", ...overrides };
}

/** Creates a published listing and a customer through the API; returns their ids. */
export async function listingAndCustomer(
  srv: TestServer,
  key: string,
  opts: { publish?: boolean; price?: number } = {},
): Promise<{ listing: string; customer: string }> {
  const listing = await srv.request("POST", "/v1/listings", {
    key,
    body: listingBody(opts.price === undefined ? {} : { price: opts.price }),
  });
  if (listing.status !== 201) throw new Error(`listing: ${listing.text}`);
  if (opts.publish !== false) {
    const published = await srv.request("POST", `/v1/listings/${listing.body.id}/publish`, { key });
    if (published.status !== 200) throw new Error(`publish: ${published.text}`);
  }
  const customer = await srv.request("POST", "/v1/customers", { key, body: customerBody() });
  if (customer.status !== 201) throw new Error(`customer: ${customer.text}`);
  return { listing: listing.body.id as string, customer: customer.body.id as string };
}

/** The types of the integration's events, oldest first. */
export async function eventTypes(srv: TestServer, integrationId: string): Promise<string[]> {
  const rows = await srv.db
    .selectFrom("events")
    .select("type")
    .where("integration_id", "=", integrationId)
    .orderBy("seq", "asc")
    .execute();
  return rows.map((r) => r.type);
}
