/**
 * The runtime guard in production: a repository copy gains a version 2026-09-01 (its document is
 * 2026-05-07's, as in seam.test.ts) whose one version change has a deliberately broken Listing
 * converter: it throws for a sold or archived listing. A server started with NODE_ENV=production
 * (no response validation, no start-up proof) must never send such a listing to an integration
 * pinned to 2026-05-07 in the newest shape: a write answers 500 version_conversion_failed and is
 * rolled back, a webhook is neither signed nor sent but dead-lettered, and each failure is one
 * structured error line naming the request or event, the version, the schema and the change.
 * Where the render comes after the commit (creating a webhook endpoint), the answer is the same
 * 500, the line says the write was committed, and the Idempotency-Key replays the error.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintVersion } from "../../scripts/versions/mint.ts";
import { readRegistry, writeRegistry } from "../../scripts/versions/registry-file.ts";
import { createEmptyTestDatabase, type TestDatabase } from "../support/database.ts";
import { copyRepository, type Served, serveIn, wthIn } from "./repo-copy.ts";

const OLD = "2026-05-07";
const NEW = "2026-09-01";

const BROKEN_CHANGE = `import { defineVersionChange } from "../../change.ts";

export const changes = [
  defineVersionChange({
    id: "listing-broken",
    description: "A deliberately broken converter: it throws for sold and archived listings.",
    migration: "Nothing.",
    answers: ["documentation-changed:Listing"],
    response: {
      Listing: (listing) => {
        if (listing.status === "sold" || listing.status === "archived") {
          throw new Error("deliberately broken converter");
        }
        return listing;
      },
      // Rendered after its write commits (the webhook routes are not transactional handlers).
      WebhookEndpointWithSecret: (endpoint) => {
        if (endpoint.description === "break me") throw new Error("deliberately broken converter");
        return endpoint;
      },
    },
  }),
];
`;

let root = "";
let dataDir = "";
let database: TestDatabase | undefined;
let served: Served | undefined;
let receiver: http.Server | undefined;
let receiverPort = 0;
const received: Array<{ type: string; api_version: string; signed: boolean }> = [];

const setStatus = (status: "released" | "unreleased") =>
  writeRegistry(
    root,
    readRegistry(root).map((r) =>
      r.version === NEW ? { ...r, status, released_at: status === "released" ? NEW : null } : r,
    ),
  );

function env(): Record<string, string> {
  return {
    ...(database?.env ?? {}),
    NODE_ENV: "production",
    WTH_SECRET_KEY: "runtime-guard-test-secret-key-of-32-chars-or-more",
    WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
  };
}

beforeAll(async () => {
  root = copyRepository("wth-guard-");
  dataDir = fs.mkdtempSync(path.join(root, "..", "wth-guard-data-"));
  database = await createEmptyTestDatabase({ dir: dataDir });
  mintVersion(root, NEW);
  const bundled = JSON.parse(
    fs.readFileSync(path.join(root, "generated", OLD, "openapi.json"), "utf8"),
  );
  fs.mkdirSync(path.join(root, "generated", NEW), { recursive: true });
  fs.writeFileSync(
    path.join(root, "generated", NEW, "openapi.json"),
    JSON.stringify({ ...bundled, info: { ...bundled.info, version: NEW } }),
  );
  fs.writeFileSync(
    path.join(root, "server", "versions", "changes", NEW, "index.ts"),
    BROKEN_CHANGE,
  );
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        type: string;
        api_version: string;
      };
      received.push({
        type: event.type,
        api_version: event.api_version,
        signed: typeof req.headers["webhook-signature"] === "string",
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
}, 120_000);

afterAll(async () => {
  await served?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  requestId: string | null;
  version: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  body: any;
}

/** The structured log lines of the server whose `alert` is set. */
function alerts(): Array<Record<string, unknown>> {
  return (served?.output() ?? "")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.alert === "version_conversion_failed");
}

/** The first alert line matching `test`, waiting for the server's output to be read. */
function alertWhere(test: (line: Record<string, unknown>) => boolean) {
  return until("the alert line", async () => alerts().find(test));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the runtime guard in production", () => {
  let key = "";
  const call = async (
    method: string,
    url: string,
    body?: unknown,
    idempotencyKey: string = crypto.randomUUID(),
  ): Promise<Reply> => {
    const res = await fetch(`http://127.0.0.1:${served?.port}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        ...(method === "POST" ? { "idempotency-key": idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      requestId: res.headers.get("request-id"),
      version: res.headers.get("x-api-version"),
      body: await res.json(),
    };
  };
  let listingId = "";

  beforeAll(async () => {
    // New integrations pin to the newest released version: 2026-09-01 is unreleased while the
    // old pin is made, then released, as in seam.test.ts.
    setStatus("unreleased");
    const made = await wthIn(
      root,
      ["integrations", "create", "--name", "old-pin", "--json"],
      env(),
    );
    expect(made.code, made.stderr).toBe(0);
    const integration = JSON.parse(made.stdout) as { api_key: string; api_version: string };
    expect(integration.api_version).toBe(OLD);
    key = integration.api_key;
    setStatus("released");
    served = await serveIn(root, env());
    const created = await call("POST", "/v1/listings", {
      brand: "Omega",
      model: "Speedmaster",
      reference_number: "310.30.42.50.01.001",
      condition: "excellent",
      price: 650000,
      currency: "EUR",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    listingId = created.body.id;
    const published = await call("POST", `/v1/listings/${listingId}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  }, 120_000);

  it("when a write's response fails conversion for the pinned version, then it answers 500 version_conversion_failed and nothing is committed", async () => {
    const archived = await call("POST", `/v1/listings/${listingId}/archive`);
    expect(archived.status).toBe(500);
    expect(archived.version).toBe(OLD);
    expect(archived.body.error.code).toBe("version_conversion_failed");
    expect(archived.body.error.request_id).toBe(archived.requestId);

    // Rolled back: the listing is still published and no listing.archived event was recorded.
    const listing = await call("GET", `/v1/listings/${listingId}`);
    expect(listing.status).toBe(200);
    expect(listing.body.status).toBe("published");
    const events = await call("GET", "/v1/events?limit=100");
    expect(events.status).toBe(200);
    const types = (events.body.data as Array<{ type: string }>).map((e) => e.type);
    expect(types).toContain("listing.published");
    expect(types).not.toContain("listing.archived");

    const line = await alertWhere((l) => l.request_id === archived.requestId);
    expect(line).toMatchObject({
      level: 50,
      api_version: OLD,
      schema: "Listing",
      failed_schema: "Listing",
      pointer: "",
      version_change: `listing-broken (${NEW})`,
      write_committed: false,
      method: "POST",
    });
    expect(String(line?.reason)).toContain("deliberately broken converter");
    // The body is never logged.
    expect(JSON.stringify(line)).not.toContain("Speedmaster");
  }, 60_000);

  it("when a webhook body fails conversion for the pinned version, then nothing is signed or sent, the delivery is dead-lettered at once and an alert is logged", async () => {
    const endpoint = await call("POST", "/v1/webhook_endpoints", {
      url: `http://127.0.0.1:${receiverPort}/hooks`,
      enabled_events: ["*"],
    });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const customer = await call("POST", "/v1/customers", {
      name: "Ada",
      email: "ada@example.com",
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    // The order's response is fine; its listing.sold event carries a sold listing, which the
    // broken converter cannot render for 2026-05-07.
    const order = await call("POST", "/v1/orders", {
      listing: listingId,
      customer: customer.body.id,
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);

    const dead = await until("the dead letter", async () => {
      const page = await call("GET", `/v1/webhook_endpoints/${endpoint.body.id}/dead_letters`);
      return page.body.data.length > 0 ? page.body.data : undefined;
    });
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      event_type: "listing.sold",
      status: "dead_lettered",
      attempt_count: 0,
      attempts: [],
      next_attempt_at: null,
    });
    await until("order.created at the receiver", async () =>
      received.some((r) => r.type === "order.created") ? true : undefined,
    );
    expect(received.every((r) => r.api_version === OLD && r.signed)).toBe(true);
    expect(received.map((r) => r.type)).not.toContain("listing.sold");

    const line = await alertWhere((l) => l.event_type === "listing.sold");
    expect(line).toMatchObject({
      level: 50,
      api_version: OLD,
      schema: "Listing",
      pointer: "",
      version_change: `listing-broken (${NEW})`,
      deliveries: [dead[0].id],
    });

    // Recovery renders the body again; while the converter is still broken it is refused, and
    // the dead letter stays one.
    const recovered = await call(
      "POST",
      `/v1/webhook_endpoints/${endpoint.body.id}/dead_letters/recover`,
      {},
    );
    expect(recovered.status).toBe(500);
    expect(recovered.body.error.code).toBe("version_conversion_failed");
    const still = await call("GET", `/v1/webhook_deliveries/${dead[0].id}`);
    expect(still.body.status).toBe("dead_lettered");
    expect(received.map((r) => r.type)).not.toContain("listing.sold");
  }, 90_000);

  it("when the response of a committed write fails conversion, then it still answers 500, the alert says the write was committed, and the Idempotency-Key replays the error", async () => {
    const url = `http://127.0.0.1:${receiverPort}/other`;
    const body = { url, enabled_events: ["order.paid"], description: "break me" };
    const idempotencyKey = crypto.randomUUID();
    const first = await call("POST", "/v1/webhook_endpoints", body, idempotencyKey);
    expect(first.status).toBe(500);
    expect(first.version).toBe(OLD);
    expect(first.body.error.code).toBe("version_conversion_failed");
    expect(JSON.stringify(first.body)).not.toContain("whsec_");

    const line = await alertWhere((l) => l.request_id === first.requestId);
    expect(line).toMatchObject({
      api_version: OLD,
      schema: "WebhookEndpointWithSecret",
      pointer: "",
      version_change: `listing-broken (${NEW})`,
      write_committed: true,
    });
    expect(JSON.stringify(line)).not.toContain("whsec_");

    const again = await call("POST", "/v1/webhook_endpoints", body, idempotencyKey);
    expect(again.status).toBe(500);
    expect(again.body.error.code).toBe("version_conversion_failed");
    const endpoints = await call("GET", "/v1/webhook_endpoints?limit=100");
    const made = (endpoints.body.data as Array<{ url: string }>).filter((e) => e.url === url);
    expect(made).toHaveLength(1);
  }, 60_000);
});
