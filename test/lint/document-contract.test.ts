import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The 2026-05-07 document against the team's contract (the operations, webhooks and error
 * catalogue everyone else builds against), checked on the bundle the server validates with.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);
const REDOCLY_BIN = path.join(
  path.dirname(require.resolve("@redocly/cli/package.json")),
  "bin/cli.js",
);

const OPERATIONS: [method: string, path: string, operationId: string][] = [
  ["post", "/v1/listings", "createListing"],
  ["get", "/v1/listings", "listListings"],
  ["get", "/v1/listings/{listing_id}", "retrieveListing"],
  ["patch", "/v1/listings/{listing_id}", "updateListing"],
  ["post", "/v1/listings/{listing_id}/publish", "publishListing"],
  ["post", "/v1/listings/{listing_id}/archive", "archiveListing"],
  ["post", "/v1/customers", "createCustomer"],
  ["get", "/v1/customers", "listCustomers"],
  ["get", "/v1/customers/{customer_id}", "retrieveCustomer"],
  ["patch", "/v1/customers/{customer_id}", "updateCustomer"],
  ["post", "/v1/orders", "createOrder"],
  ["get", "/v1/orders", "listOrders"],
  ["get", "/v1/orders/{order_id}", "retrieveOrder"],
  ["post", "/v1/orders/{order_id}/ship", "shipOrder"],
  ["post", "/v1/orders/{order_id}/cancel", "cancelOrder"],
  ["get", "/v1/integration", "retrieveIntegration"],
  ["get", "/v1/integration/api_keys", "retrieveApiKeySummary"],
  ["get", "/v1/integration/api_versions", "retrieveApiVersionSummary"],
  ["post", "/v1/webhook_endpoints", "createWebhookEndpoint"],
  ["get", "/v1/webhook_endpoints", "listWebhookEndpoints"],
  ["get", "/v1/webhook_endpoints/{webhook_endpoint_id}", "retrieveWebhookEndpoint"],
  ["patch", "/v1/webhook_endpoints/{webhook_endpoint_id}", "updateWebhookEndpoint"],
  ["delete", "/v1/webhook_endpoints/{webhook_endpoint_id}", "deleteWebhookEndpoint"],
  [
    "post",
    "/v1/webhook_endpoints/{webhook_endpoint_id}/rotate_secret",
    "rotateWebhookEndpointSecret",
  ],
  ["get", "/v1/webhook_endpoints/{webhook_endpoint_id}/deliveries", "listEndpointDeliveries"],
  ["get", "/v1/webhook_endpoints/{webhook_endpoint_id}/dead_letters", "listDeadLetters"],
  [
    "post",
    "/v1/webhook_endpoints/{webhook_endpoint_id}/dead_letters/recover",
    "recoverDeadLetters",
  ],
  ["get", "/v1/events", "listEvents"],
  ["get", "/v1/events/{event_id}", "retrieveEvent"],
  ["get", "/v1/events/{event_id}/deliveries", "listEventDeliveries"],
  ["post", "/v1/events/{event_id}/replay", "replayEvent"],
  ["get", "/v1/webhook_deliveries/{delivery_id}", "retrieveWebhookDelivery"],
  ["post", "/v1/test/events", "triggerTestEvent"],
  ["post", "/v1/test/orders/{order_id}/pay", "payTestOrder"],
  ["post", "/v1/test/orders/{order_id}/deliver", "deliverTestOrder"],
  ["post", "/v1/test/reset", "resetTestData"],
];

const EVENT_TYPES = [
  "listing.created",
  "listing.updated",
  "listing.published",
  "listing.sold",
  "customer.created",
  "customer.updated",
  "order.created",
  "order.paid",
  "order.shipped",
  "order.cancelled",
];

const ERROR_CODES: [status: number, code: string][] = [
  [400, "parameter_missing"],
  [400, "parameter_invalid"],
  [400, "parameter_unknown"],
  [400, "invalid_json"],
  [400, "body_too_deep"],
  [400, "invalid_cursor"],
  [401, "authentication_required"],
  [401, "invalid_api_key"],
  [403, "test_mode_only"],
  [404, "resource_not_found"],
  [404, "route_not_found"],
  [405, "method_not_allowed"],
  [409, "invalid_listing_transition"],
  [409, "listing_not_editable"],
  [409, "listing_not_published"],
  [409, "listing_sold"],
  [409, "invalid_order_transition"],
  [409, "idempotency_key_in_use"],
  [409, "webhook_endpoint_disabled"],
  [413, "body_too_large"],
  [415, "unsupported_media_type"],
  [422, "idempotency_key_reused"],
  [422, "webhook_url_invalid"],
  [422, "webhook_url_not_allowed"],
  [429, "rate_limited"],
  [500, "internal_error"],
  [500, "version_conversion_failed"],
  [503, "service_unavailable"],
];

// A bundled OpenAPI document is free-form JSON; each test narrows what it reads.
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Json = any;

let tempDir: string;
let doc: Json;

function bundle(outFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [REDOCLY_BIN, "bundle", "openapi/2026-05-07/openapi.yaml", "--ext", "json", "-o", outFile],
      {
        cwd: REPO,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        stdio: "ignore",
      },
    );
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

function deref(node: Json): Json {
  let current = node;
  while (current && typeof current.$ref === "string") {
    const pointer = (current.$ref as string).replace(/^#\//, "").split("/");
    current = pointer.reduce(
      (at: Json, key) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")],
      doc,
    );
  }
  return current;
}

function operations(): [string, string, Json][] {
  const found: [string, string, Json][] = [];
  for (const [route, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of ["get", "post", "patch", "put", "delete"]) {
      if (item[method]) found.push([method, route, item[method]]);
    }
  }
  return found;
}

/** Every schema reachable in components, with a readable location, walking into sub-schemas. */
function schemas(): [string, Json][] {
  const out: [string, Json][] = [];
  const visit = (where: string, schema: Json) => {
    if (!schema || typeof schema !== "object" || schema.$ref) return;
    out.push([where, schema]);
    for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
      visit(`${where}.${name}`, sub);
    }
    if (schema.items) visit(`${where}[]`, schema.items);
    for (const key of ["oneOf", "anyOf", "allOf"]) {
      for (const [i, sub] of ((schema[key] ?? []) as Json[]).entries())
        visit(`${where}.${key}[${i}]`, sub);
    }
  };
  for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, Json>))
    visit(name, schema);
  return out;
}

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), "wth-contract-"));
  const outFile = path.join(tempDir, "openapi.json");
  expect(await bundle(outFile)).toBe(0);
  doc = JSON.parse(await readFile(outFile, "utf8"));
}, 120_000);

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe("the 2026-05-07 document against the team contract", () => {
  it("when its operations are listed, then they are exactly the contract's, at the contract's paths", () => {
    const found = operations().map(([method, route, op]) => [method, route, op.operationId]);

    expect(found.sort()).toEqual([...OPERATIONS].sort());
  });

  it("when its webhooks are listed, then they are the 10 event types, each posting its own type", () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) {
      const post = doc.webhooks[type].post;
      const body = deref(post.requestBody.content["application/json"].schema);
      const typeSchema = body.allOf.map(deref).find((part: Json) => part.properties?.type?.const);
      expect(typeSchema.properties.type.const, type).toBe(type);
      const headers = post.parameters
        .map(deref)
        .filter((p: Json) => p.in === "header" && p.required);
      expect(headers.map((p: Json) => p.name).sort(), type).toEqual([
        "webhook-id",
        "webhook-signature",
        "webhook-timestamp",
      ]);
      expect(Object.keys(post.responses), type).toContain("2XX");
    }
  });

  it("when the ErrorCode catalogue is read, then it is the contract's table, each code under its status", () => {
    const errorCode = doc.components.schemas.ErrorCode;
    const catalogue = (errorCode.enum as string[]).map((code) => [
      Number((errorCode["x-enum-descriptions"][code] as string).slice(0, 3)),
      code,
    ]);

    expect(catalogue.sort()).toEqual([...ERROR_CODES].sort());
  });

  it("when the operations' error responses are read, then every catalogued code can actually be returned", () => {
    const returned = new Set<string>();
    for (const [, , op] of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        if (!/^[45]/.test(status)) continue;
        for (const code of deref(response)["x-error-codes"] as string[]) returned.add(code);
      }
    }

    expect([...returned].sort()).toEqual(ERROR_CODES.map(([, code]) => code).sort());
  });

  it("when any status enum is found, then it carries a stable meaning for every value", () => {
    const statusEnums = schemas().filter(
      ([where, schema]) => /(^|\.)(\w*Status|status)$/.test(where) && schema.enum,
    );

    expect(statusEnums.length).toBeGreaterThanOrEqual(4);
    for (const [where, schema] of statusEnums) {
      expect(Object.keys(schema["x-enum-meanings"] ?? {}).sort(), where).toEqual(
        [...schema.enum].sort(),
      );
    }
  });

  it("when a money amount is found, then it is an integer marked as minor units next to a currency", () => {
    const amounts = schemas().filter(([where]) => /\.(price|amount)$/.test(where));

    expect(amounts.length).toBeGreaterThanOrEqual(4);
    for (const [where, schema] of amounts) {
      expect(schema.type, where).toBe("integer");
      expect(schema["x-meaning"], where).toBe("amount-in-minor-units-of-currency");
    }
  });

  it("when a request body is read, then it rejects unknown fields", () => {
    for (const [method, route, op] of operations()) {
      const schema = op.requestBody && deref(op.requestBody.content["application/json"].schema);
      if (schema) expect(schema.additionalProperties, `${method} ${route}`).toBe(false);
    }
  });

  it("when the info block is read, then the version is the folder's date as a string", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe("2026-05-07");
    expect(doc["x-webhook-signature"]).toMatchObject({
      header: "webhook-signature",
      algorithm: "HMAC-SHA256",
      signed_payload: "{webhook-id}.{webhook-timestamp}.{raw body}",
    });
  });
});
