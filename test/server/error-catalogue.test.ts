/**
 * The error codes every operation shares, tried on every operation of the document: each
 * answer must be the expected code AND a code the operation documents for that status.
 * Domain codes (transitions, listing_sold, test_mode_only, …) are in the resource tests.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestHash } from "../../server/http/idempotency.ts";
import { loadVersionRegistry } from "../../server/versions/registry.ts";
import { generatedDir, type Reply, startTestServer, type TestServer } from "./harness.ts";
import { type Doc, documentedCodes, resolve, validArb } from "./schema-arbitrary.ts";

interface Op {
  operationId: string;
  /** Another valid body, different from `body`, for Idempotency-Key reuse. */
  otherBody: unknown;
  method: string;
  path: string;
  allowed: string[];
  body: unknown;
  takesBody: boolean;
  codes: Map<number, Set<string>>;
}

const versions = loadVersionRegistry({ generatedDir });
const doc = versions.document(versions.newest) as unknown as Doc & {
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

function samplePath(template: string, params: Array<Record<string, unknown>>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const param = params.find((p) => p.name === name && p.in === "path");
    const pattern = String(
      resolve(doc, (param?.schema as Record<string, unknown>) ?? {}).pattern ?? "",
    );
    const prefix = /^\^([a-z]+_)/.exec(pattern)?.[1] ?? "x_";
    return `${prefix}${"0".repeat(24)}`;
  });
}

const OPS: Op[] = [];
for (const [template, item] of Object.entries(doc.paths)) {
  const shared = ((item.parameters as unknown as Array<Record<string, unknown>>) ?? []).map((p) =>
    resolve(doc, p),
  );
  const allowed = Object.keys(item)
    .filter((m) => m !== "parameters")
    .map((m) => m.toUpperCase());
  for (const [method, op] of Object.entries(item)) {
    if (method === "parameters") continue;
    const own = ((op.parameters as Array<Record<string, unknown>>) ?? []).map((p) =>
      resolve(doc, p),
    );
    const content = (resolve(doc, (op.requestBody as Record<string, unknown>) ?? {}).content ??
      {}) as Record<string, { schema: Record<string, unknown> }>;
    const schema = content["application/json"]?.schema;
    const samples =
      schema === undefined ? [] : fc.sample(validArb(doc, schema), { numRuns: 20, seed: 7 });
    const first = samples[0];
    OPS.push({
      operationId: op.operationId as string,
      otherBody: samples.find((b) => JSON.stringify(b) !== JSON.stringify(first)) ?? {},
      method: method.toUpperCase(),
      path: samplePath(template, [...shared, ...own]),
      allowed,
      body: first,
      takesBody: method === "post" || method === "patch",
      codes: documentedCodes(doc, op.responses as Record<string, Record<string, unknown>>),
    });
  }
}
const TABLE = OPS.map((op) => [op.operationId, op] as const);

function expectDocumented(op: Op, res: Reply, status: number, code: string): void {
  const where = `${op.operationId}: ${res.status} ${res.text.slice(0, 200)}`;
  expect(res.status, where).toBe(status);
  expect(res.body?.error?.code, where).toBe(code);
  expect(
    [...(op.codes.get(status) ?? [])],
    `${op.operationId} does not document ${status} ${code}`,
  ).toContain(code);
  expect(res.headers.get("x-api-version")).toBe("2026-05-07");
  expect(res.headers.get("request-id")).toBe(res.body.error.request_id);
}

describe("error codes shared by every operation", () => {
  let srv: TestServer;
  let key: string;
  let integrationId: string;

  beforeAll(async () => {
    srv = await startTestServer();
    ({ key, id: integrationId } = await srv.integration());
  });
  afterAll(() => srv.close());

  it("when the document is read, then it has every operation of the spec", () => {
    expect(OPS.length).toBeGreaterThanOrEqual(34);
  });

  it.each(TABLE)(
    "when %s is called without a key or with a bad one, then 401 authentication_required / invalid_api_key",
    async (_id, op) => {
      expectDocumented(
        op,
        await srv.request(op.method, op.path, { body: op.body }),
        401,
        "authentication_required",
      );
      expectDocumented(
        op,
        await srv.request(op.method, op.path, { key: "wth_live_nope", body: op.body }),
        401,
        "invalid_api_key",
      );
    },
  );

  it.each(TABLE)(
    "when %s's path is called with a method it lacks, then 405 method_not_allowed with Allow",
    async (_id, op) => {
      const missing = ["PUT", "DELETE", "PATCH", "POST", "GET"].find(
        (m) => !op.allowed.includes(m),
      ) as string;
      const res = await srv.request(missing, op.path, { key });
      expectDocumented(op, res, 405, "method_not_allowed");
      expect(res.headers.get("allow")?.split(", ").sort()).toEqual([...op.allowed].sort());
    },
  );

  it.each(TABLE)(
    "when %s gets an unknown query parameter, then 400 parameter_unknown",
    async (_id, op) => {
      const res = await srv.request(op.method, `${op.path}?surprise=1`, { key, body: op.body });
      expectDocumented(op, res, 400, "parameter_unknown");
      expect(res.body.error.param).toBe("surprise");
    },
  );

  const BODY_OPS = TABLE.filter(([, op]) => op.takesBody);

  it.each(BODY_OPS)(
    "when %s gets a non-JSON, malformed, huge or too deep body, then 415 / 400 / 413 / 400",
    async (_id, op) => {
      expectDocumented(
        op,
        await srv.request(op.method, op.path, {
          key,
          rawBody: "a=b",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
        415,
        "unsupported_media_type",
      );
      expectDocumented(
        op,
        await srv.request(op.method, op.path, {
          key,
          rawBody: "{",
          headers: { "content-type": "application/json" },
        }),
        400,
        "invalid_json",
      );
      expectDocumented(
        op,
        await srv.request(op.method, op.path, {
          key,
          rawBody: JSON.stringify({ pad: "x".repeat(65 * 1024) }),
          headers: { "content-type": "application/json" },
        }),
        413,
        "body_too_large",
      );
      expectDocumented(
        op,
        await srv.request(op.method, op.path, {
          key,
          rawBody: `${'{"a":'.repeat(40)}1${"}".repeat(40)}`,
          headers: { "content-type": "application/json" },
        }),
        400,
        "body_too_deep",
      );
    },
  );

  const POST_OPS = TABLE.filter(([, op]) => op.method === "POST");

  it.each(POST_OPS)(
    "when %s reuses an Idempotency-Key for another request, then 422 idempotency_key_reused",
    async (_id, op) => {
      const headers = { "idempotency-key": `reuse-${op.operationId}` };
      const first = await srv.request(op.method, op.path, { key, body: op.body, headers });
      expect(first.status, first.text).toBeLessThan(500);
      const other = op.path.includes("0".repeat(24))
        ? await srv.request(op.method, op.path.replace(/0{24}/, "1".repeat(24)), {
            key,
            body: op.body,
            headers,
          })
        : await srv.request(op.method, op.path, { key, body: op.otherBody, headers });
      expectDocumented(op, other, 422, "idempotency_key_reused");
    },
  );

  it.each(POST_OPS)(
    "when %s is retried while its Idempotency-Key is in flight, then 409 idempotency_key_in_use",
    async (_id, op) => {
      const now = new Date().toISOString();
      const idem = `inflight-${op.operationId}`;
      await srv.db
        .insertInto("idempotency_keys")
        .values({
          integration_id: integrationId,
          key: idem,
          request_hash: requestHash("POST", op.path, op.body ?? undefined),
          state: "in_flight",
          response_status: null,
          response_body: null,
          locked_at: now,
          created_at: now,
        })
        .execute();
      const res = await srv.request(op.method, op.path, {
        key,
        body: op.body,
        headers: { "idempotency-key": idem },
      });
      expectDocumented(op, res, 409, "idempotency_key_in_use");
    },
  );
});

describe("rate limit and shutdown on every operation", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ settings: { rateLimit: { perSecond: 0.01, burst: 1 } } });
  });
  afterAll(() => srv.close());

  it.each(TABLE)(
    "when %s is called past the rate limit, then 429 rate_limited with Retry-After",
    async (_id, op) => {
      const { key } = await srv.integration();
      await srv.request("GET", "/v1/integration", { key });
      const res = await srv.request(op.method, op.path, { key, body: op.body });
      expectDocumented(op, res, 429, "rate_limited");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    },
  );

  it("when the server is draining, then every operation answers 503 service_unavailable", async () => {
    const { key } = await srv.integration();
    srv.beginDrain();
    for (const [, op] of TABLE) {
      expectDocumented(
        op,
        await srv.request(op.method, op.path, { key, body: op.body }),
        503,
        "service_unavailable",
      );
    }
  });
});
