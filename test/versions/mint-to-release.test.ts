/**
 * The promise, end to end: in a temporary copy of the repository a maintainer mints 2026-09-01
 * with breaking changes (renamed response field, split enum value, newly required request
 * field, removed endpoint, changed webhook payload field, a nested rename) and one additive
 * change, following docs/minting.md. Before releasing, the wrong version changes a maintainer
 * could write (a backwards converter, a converter keyed by a misspelled schema, an enum split
 * without a declaration) make `wth check` and `wth release` fail, naming what broke. One server
 * then serves an integration pinned to 2026-05-07 and one pinned to 2026-09-01, each with its own
 * webhook receiver; each gets exactly its own version's shapes in every response and webhook.
 * Last, the old integration is rolled forward, and replays and retries follow the rule the docs
 * state. Everything runs on the backend under test (WTH_TEST_BACKEND): CI runs this file twice.
 */
import fs from "node:fs";
import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VersionBundle } from "../../server/versions/change.ts";
import { createConverter } from "../../server/versions/convert.ts";
import { readVersionList, repoRoot } from "../../server/versions/registry.ts";
import { type Doc, validArb } from "../server/schema-arbitrary.ts";
import { createEmptyTestDatabase, type TestDatabase, testBackend } from "../support/database.ts";
import {
  editHandlers,
  editNextVersionDocument,
  HAND_WRITTEN_CANCELLATION,
  handWriteCancellation,
} from "./next-version.ts";
import { copyRepository, type Run, type Served, serveIn, wthIn } from "./repo-copy.ts";
import { loadShapes, type VersionShapes } from "./shapes.ts";
import {
  AMOUNT_CHANGE,
  BACKWARDS_AMOUNT,
  ENUM_ANSWERED_ONLY,
  ENUM_CHANGE,
  MISSPELLED_TRACKING,
  TRACKING_CHANGE,
} from "./wrong-changes.ts";

const OLD = "2026-05-07";
const NEW = "2026-09-01";
/** How the docs introduce the one rule for replays and retries across a roll. */
const REPLAY_RULE_LEAD = "**Replays and retries across a roll.**";

type Json = Record<string, unknown>;

/** One attempt as the receiver saw it, and what it answered. */
interface Received {
  raw: string;
  body: Json;
  headers: IncomingHttpHeaders;
  status: number;
  at: number;
}

interface Receiver {
  server: http.Server;
  url: string;
  bodies: Json[];
  received: Received[];
  /** While set, attempts it matches are answered 500 (a receiver that is down for them). */
  failing?: (body: Json) => boolean;
}

function receiver(): Promise<Receiver> {
  const hook: Omit<Receiver, "server" | "url"> = { bodies: [], received: [] };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => {
      raw += c;
    });
    req.on("end", () => {
      const body = JSON.parse(raw) as Json;
      const status = hook.failing?.(body) === true ? 500 : 200;
      hook.bodies.push(body);
      hook.received.push({ raw, body, headers: req.headers, status, at: Date.now() });
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve(
        Object.assign(hook, {
          server,
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        }),
      ),
    ),
  );
}

async function waitFor<T>(what: string, find: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not seen in ${ms} ms; server output:\n${served?.output().slice(-4000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * One request on its own connection: a kept-alive connection the server closes while the test
 * waits (webhooks, a CLI run) can fail the next request on a loaded machine, for no reason of
 * the server's. A server that died mid-test says why: its own output is the failure message.
 */
function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Headers; raw: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let raw = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        raw += c;
      });
      res.on("end", () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of [value ?? []].flat()) out.append(name, v);
        }
        resolve({ status: res.statusCode ?? 0, headers: out, raw });
      });
      res.on("error", reject);
    });
    req.on("error", (error) =>
      reject(
        new Error(
          `${method} ${url}: ${error.message}; server output:\n${served?.output().slice(-4000)}`,
        ),
      ),
    );
    req.end(body);
  });
}

interface Reply {
  status: number;
  version: string | null;
  headers: Headers;
  raw: string;
  body: Json;
}

let root = "";
let dataDir = "";
/** The copy's database on the backend under test (WTH_TEST_BACKEND). */
let database: TestDatabase | undefined;
let served: Served | undefined;
const receivers: Receiver[] = [];
/** Each pin's webhook endpoint id (receivers[0] is the old pin's, receivers[1] the new pin's). */
const endpoints: Record<string, string> = {};
const commandsRun: string[] = [];
const shapes: Record<string, VersionShapes> = {};
const keys: Record<string, { id: string; key: string }> = {};

async function wth(args: string[]): Promise<Run> {
  commandsRun.push(`wth ${args.join(" ")}`);
  return wthIn(root, args, {
    ...database?.env,
    DATA_DIR: dataDir,
    WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
  });
}

async function call(
  who: string,
  method: string,
  url: string,
  body?: Json,
  extra: Record<string, string> = {},
): Promise<Reply> {
  const res = await request(
    `http://127.0.0.1:${served?.port}${url}`,
    method,
    {
      ...extra,
      authorization: `Bearer ${keys[who]?.key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body === undefined ? undefined : JSON.stringify(body),
  );
  return {
    status: res.status,
    version: res.headers.get("x-api-version"),
    headers: res.headers,
    raw: res.raw,
    body: JSON.parse(res.raw) as Json,
  };
}

/** Replaces files of the new version's changes while `run` runs, then puts the scaffolded ones back. */
async function withChangeFiles<T>(
  files: Record<string, string>,
  run: () => Promise<T>,
): Promise<T> {
  const dir = path.join(root, "server", "versions", "changes", NEW);
  const saved = Object.keys(files).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]);
  try {
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
    return await run();
  } finally {
    for (const [f, text] of saved) fs.writeFileSync(path.join(dir, f as string), text as string);
  }
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * One failure of the proof, as `wth check` prints it: the operation or webhook, the schema and
 * JSON pointer in 2026-05-07's document, the version change that converted it, and the instance.
 */
function proofFailure(what: string, instance: string, change?: string): RegExp {
  const by = change === undefined ? "" : `version change ${literal(change)} \\(2026-09-01\\)`;
  return new RegExp(
    `PROOF FAILS  2026-05-07  ${literal(what)} in 2026-05-07's document\\n\\s+converted by: [^\\n]*${by}[^\\n]*; instance: ${literal(instance)}`,
  );
}

/** A response enum value old pins would receive, as the proof reports it. */
function uncoveredEnum(value: string): RegExp {
  return new RegExp(
    `UNCOVERED ENUM  2026-05-07  webhook listing\\.created: ListingCondition /data/object/condition: 2026-09-01 can send "${value}", which 2026-05-07's document does not have[^\\n]*\\n\\s+converted by: [^\\n]*; instance: (example|generated)`,
  );
}

function registryStatus(version: string): string | undefined {
  return readVersionList(root).entries.find((v) => v.version === version)?.status;
}

/** The response is its pinned version's: header, schema, and exactly the schema's keys. */
function expectShape(version: string, reply: Reply, schema: string, status = 200): Json {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.version).toBe(version);
  const s = shapes[version] as VersionShapes;
  expect(s.schema(schema, reply.body)).toEqual([]);
  if (["Listing", "Order", "Customer"].includes(schema))
    expect(s.keys(schema, reply.body)).toEqual([]);
  return reply.body;
}

async function createIntegration(
  name: string,
): Promise<{ id: string; key: string; version: string }> {
  const r = await wth(["integrations", "create", "--name", name, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { id: string; api_key: string; api_version: string };
  return { id: out.id, key: out.api_key, version: out.api_version };
}

beforeAll(async () => {
  root = copyRepository("wth-mint-");
  dataDir = fs.mkdtempSync(path.join(root, "..", "wth-mint-data-"));
  database = await createEmptyTestDatabase({ dir: dataDir });
}, 120_000);

afterAll(async () => {
  await served?.stop();
  await database?.close();
  for (const r of receivers) r.server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
});

describe("minting, covering and releasing 2026-09-01 in a copy of the repository", () => {
  it("when wth mint gets a malformed, earlier or existing date, then it refuses and says why", async () => {
    const bad = await wth(["mint", "2026-13-01"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/"2026-13-01" is not a date/);
    const earlier = await wth(["mint", "2026-01-01"]);
    expect(earlier.code).toBe(1);
    expect(earlier.stderr).toMatch(/2026-01-01 is not after the newest version 2026-05-07/);
    const existing = await wth(["mint", OLD]);
    expect(existing.code).toBe(1);
    expect(existing.stderr).toMatch(/2026-05-07 already exists/);
    expect(fs.readdirSync(path.join(root, "openapi")).sort()).not.toContain("2026-01-01");
    commandsRun.length = 0;
  });

  it("when the maintainer mints and edits a version, then wth check and wth release refuse every breaking change no version change answers", async () => {
    const minted = await wth(["mint", NEW]);
    expect(minted.code, minted.stderr).toBe(0);
    expect(minted.stdout).toMatch(/Minted 2026-09-01 from 2026-05-07/);
    expect(minted.stdout).toMatch(/wth release 2026-09-01/);
    expect(readVersionList(root).entries.at(-1)).toEqual({
      version: NEW,
      status: "unreleased",
      released_at: null,
    });
    expect(fs.readFileSync(path.join(root, "openapi", NEW, "openapi.yaml"), "utf8")).toMatch(
      /version: "2026-09-01"/,
    );
    expect(fs.existsSync(path.join(root, "server", "versions", "changes", NEW, "index.ts"))).toBe(
      true,
    );

    editNextVersionDocument(root, NEW);
    editHandlers(root);

    const diff = await wth(["diff", OLD, NEW]);
    expect(diff.code).toBe(1);
    const check = await wth(["check"]);
    expect(check.code).toBe(1);
    for (const selector of [
      "response-property-renamed:Order.amount",
      "response-property-removed:Order.cancellation_reason",
      "request-enum-value-removed:ListingCondition",
      "request-property-made-required:CreateCustomerRequest.phone",
      "operation-removed:POST /v1/listings/{listing_id}/archive",
      "response-property-renamed:OrderShipping.tracking_number",
      "request-property-renamed:ShipOrderRequest.tracking_number",
      "response-enum-value-added:ListingCondition",
    ]) {
      expect(check.stdout).toContain(`UNCOVERED BREAKING  ${selector}`);
    }
    expect(check.stdout).toContain(
      "NOT IN 2026-05-07  response-property-added:Listing.has_box_and_papers",
    );
    const refused = await wth(["release", NEW]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/2026-09-01 cannot be released:\nUNCOVERED BREAKING/);
  }, 120_000);

  it("when every breaking change has a version change and the addition is ported, then wth check proves every older version", async () => {
    const scaffolded = await wth(["changes", "scaffold", NEW]);
    expect(scaffolded.code, scaffolded.stdout + scaffolded.stderr).toBe(0);
    for (const declaration of [
      'schema("Order").field("total_amount").had({ name: "amount" })',
      'schema("OrderShipping").field("tracking_code").had({ name: "tracking_number" })',
      'schema("ShipOrderRequest").field("tracking_code").had({ name: "tracking_number" })',
      'schema("Order").field("cancellation_reason").existed()',
      'enumOf("ListingCondition").had({"fair":["needs_service","for_parts"]})',
      'schema("CreateCustomerRequest").field("phone").wasOptional()',
      'endpoint("archiveListing").existed()',
    ]) {
      expect(scaffolded.stdout).toContain(declaration);
    }
    const rescaffolded = await wth(["changes", "scaffold", NEW]);
    expect(rescaffolded.stdout).toContain("nothing to scaffold");
    handWriteCancellation(root, NEW);
    const ported = await wth(["additive", "apply", NEW]);
    expect(ported.code, ported.stdout + ported.stderr).toBe(0);
    expect(ported.stdout).toContain(
      "ported  response-property-added:Listing.has_box_and_papers → openapi/2026-05-07/components/schemas/Listing.yaml",
    );
    const generated = await wth(["generate"]);
    expect(generated.code, generated.stdout + generated.stderr).toBe(0);
    const check = await wth(["check"]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(
      /ok {3}2026-09-01 vs 2026-05-07: \d+ breaking finding\(s\), 7 version change\(s\)/,
    );
    // The enum split with its declaration: proven, not only listed.
    expect(check.stdout).toMatch(
      /ok {3}proof: \d+ example\(s\) and generated instance\(s\) converted between 2026-09-01 and 1 older version\(s\)/,
    );
  }, 600_000);

  it("when a converter runs backwards, then wth check and wth release fail naming the version change, the schema, the JSON pointer and the example", async () => {
    const [check, release] = await withChangeFiles(
      { [`${AMOUNT_CHANGE}.ts`]: BACKWARDS_AMOUNT },
      () => Promise.all([wth(["check"]), wth(["release", NEW])]),
    );
    expect(check.code, check.stdout + check.stderr).toBe(1);
    expect(release.code, release.stdout + release.stderr).toBe(1);
    expect(release.stderr).toMatch(/^wth release: 2026-09-01 cannot be released: FAIL proof/);
    for (const out of [check.stdout, release.stderr]) {
      expect(out).toMatch(
        proofFailure(
          "retrieveOrder 200 Order: Order /amount: must have required property 'amount'",
          'example "pending"',
          AMOUNT_CHANGE,
        ),
      );
      // The webhook payloads are proven too, inside the event envelope.
      expect(out).toMatch(
        proofFailure(
          "webhook order.created: Order /data/object/amount: must have required property 'amount'",
          'example "order_created"',
          AMOUNT_CHANGE,
        ),
      );
    }
    expect(registryStatus(NEW)).toBe("unreleased");
  }, 300_000);

  it("when a converter is keyed by a misspelled schema, then wth check and wth release fail naming the version change, the schema, the JSON pointer and the example", async () => {
    const [check, release] = await withChangeFiles(
      { [`${TRACKING_CHANGE}.ts`]: MISSPELLED_TRACKING },
      () => Promise.all([wth(["check"]), wth(["release", NEW])]),
    );
    expect(check.code, check.stdout + check.stderr).toBe(1);
    expect(release.code, release.stdout + release.stderr).toBe(1);
    expect(release.stderr).toMatch(
      /^wth release: 2026-09-01 cannot be released: the version-change chain/,
    );
    const misspelled = `version change "${TRACKING_CHANGE}" (2026-09-01): its response converter names schema "OrderShiping", which 2026-09-01 does not have`;
    for (const out of [check.stdout, release.stderr]) {
      expect(out).toContain(misspelled);
      // Where the conversion it never ran leaves the nested object wrong, and on what.
      expect(out).toMatch(
        proofFailure(
          "shipOrder 200 Order: OrderShipping /shipping/tracking_number: must have required property 'tracking_number'",
          'example "shipped"',
        ),
      );
      expect(out).toMatch(
        proofFailure(
          "webhook order.shipped: OrderShipping /data/object/shipping/tracking_number: must have required property 'tracking_number'",
          'example "order_shipped"',
        ),
      );
    }
    expect(check.stderr).not.toMatch(/\n\s+at /); // one report, no stack trace
    expect(release.stderr).not.toMatch(/\n\s+at /);
    expect(registryStatus(NEW)).toBe("unreleased");
  }, 300_000);

  it("when the enum split has no declaration, then wth check reports the values old pins would receive as uncovered", async () => {
    const index = path.join(root, "server", "versions", "changes", NEW, "index.ts");
    const before = fs.readFileSync(index, "utf8");
    const without = before
      .replace(/import \{ change as listingConditionFairChanged \}[^\n]*\n/, "")
      .replace(/, listingConditionFairChanged\]/, "]");
    expect(without).not.toContain("listingConditionFairChanged");
    const check = await withChangeFiles({ "index.ts": without }, () => wth(["check"]));
    expect(check.code, check.stdout + check.stderr).toBe(1);
    expect(check.stdout).toContain(
      "UNCOVERED BREAKING  response-enum-value-added:ListingCondition",
    );
    expect(check.stdout).toMatch(uncoveredEnum("for_parts"));
    expect(check.stdout).toMatch(uncoveredEnum("needs_service"));
  }, 300_000);

  it("when the enum split's findings are only listed in answers, then the proof still reports the values old pins would receive as uncovered", async () => {
    const check = await withChangeFiles({ [`${ENUM_CHANGE}.ts`]: ENUM_ANSWERED_ONLY }, () =>
      wth(["check"]),
    );
    expect(check.code, check.stdout + check.stderr).toBe(1);
    // The bookkeeping is satisfied; the proof is not.
    expect(check.stdout).toMatch(/ok {3}2026-09-01 vs 2026-05-07: \d+ breaking finding\(s\)/);
    expect(check.stdout).toMatch(uncoveredEnum("for_parts"));
    expect(check.stdout).toMatch(uncoveredEnum("needs_service"));
  }, 300_000);

  it("when the version changes are right again, then wth release pins new integrations to it, on the backend under test", async () => {
    // Pinned before the release: the newest released version is still 2026-05-07.
    const old = await createIntegration("Pinned to 2026-05-07");
    expect(old.version).toBe(OLD);
    keys.old = old;

    const released = await wth(["release", NEW]);
    expect(released.code, released.stderr).toBe(0);
    const regenerated = await wth(["generate"]);
    expect(regenerated.code, regenerated.stderr).toBe(0);
    const recheck = await wth(["check"]);
    expect(recheck.code, recheck.stdout).toBe(0);
    expect(recheck.stdout).toMatch(/ok {3}2026-09-01/);
    expect(fs.existsSync(path.join(root, "openapi", "snapshots", `${NEW}.json`))).toBe(true);
    const again = await wth(["release", NEW]);
    expect(again.stderr).toMatch(/2026-09-01 is already released/);

    // The docs: every version's reference, and a changelog from the version changes.
    const landing = fs.readFileSync(path.join(root, "generated", "docs", "index.html"), "utf8");
    expect(landing).toMatch(
      /<tr class="current-row">\s*<td><a href="[^"]*2026-09-01[^"]*">2026-09-01<\/a>/,
    );
    expect(landing).toContain(
      "Order `amount` is renamed `total_amount`. What to do: Read and send `total_amount`",
    );
    expect(landing).toContain("Order.amount is renamed total_amount");
    for (const v of [OLD, NEW]) {
      expect(fs.existsSync(path.join(root, "generated", v, "docs", "index.html"))).toBe(true);
    }

    const fresh = await createIntegration("Pinned to 2026-09-01");
    expect(fresh.version).toBe(NEW);
    keys.new = fresh;
    // The CLI wrote them to the test's own database on the backend under test.
    const stored = await (database as TestDatabase).handle.db
      .selectFrom("integrations")
      .select(["id", "api_version"])
      .where("id", "in", [old.id, fresh.id])
      .orderBy("api_version")
      .execute();
    expect(stored).toEqual([
      { id: old.id, api_version: OLD },
      { id: fresh.id, api_version: NEW },
    ]);
    if (testBackend === "postgres") {
      expect(fs.existsSync(path.join(dataDir, "wth.sqlite"))).toBe(false);
    }
    shapes[OLD] = loadShapes(root, OLD);
    shapes[NEW] = loadShapes(root, NEW);
  }, 600_000);

  it("when both pins call every affected operation on one server, then each gets exactly its own version's shapes", async () => {
    served = await serveIn(root, {
      ...database?.env,
      DATA_DIR: dataDir,
      WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
      // A failed delivery is retried every second, long enough to outlast a roll (see below).
      WTH_WEBHOOK_RETRY_SCHEDULE: ["0", ...Array<string>(90).fill("1")].join(","),
      WTH_WEBHOOK_JITTER_PERCENT: "0",
    });
    for (const [who, version] of [
      ["old", OLD],
      ["new", NEW],
    ] as const) {
      const hook = await receiver();
      receivers.push(hook);
      const endpoint = await call(who, "POST", "/v1/webhook_endpoints", {
        url: hook.url,
        enabled_events: ["*"],
      });
      expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
      expect(endpoint.version).toBe(version);
      endpoints[who] = endpoint.body.id as string;

      const integration = expectShape(
        version,
        await call(who, "GET", "/v1/integration"),
        "Integration",
      );
      expect(integration.api_version).toBe(version);

      // The enum split: each version accepts only its own values, and reads back its own.
      const condition = who === "old" ? "fair" : "for_parts";
      const foreign = who === "old" ? "needs_service" : "fair";
      const rejected = await call(who, "POST", "/v1/listings", {
        brand: "Omega",
        model: "Speedmaster",
        reference_number: "311.30",
        condition: foreign,
        price: 500000,
        currency: "EUR",
      });
      expect(rejected.status).toBe(400);
      expect(rejected.version).toBe(version);
      expect((rejected.body.error as Json).param).toBe("condition");

      const listing = expectShape(
        version,
        await call(who, "POST", "/v1/listings", {
          brand: "Rolex",
          model: "Submariner",
          reference_number: "16610",
          condition,
          price: 900000,
          currency: "EUR",
          box: true,
          papers: true,
        }),
        "Listing",
        201,
      );
      expect(listing.condition).toBe(condition);
      expect(listing.has_box_and_papers).toBe(true); // the additive change reaches both
      const id = listing.id as string;
      const patched = expectShape(
        version,
        await call(who, "PATCH", `/v1/listings/${id}`, {
          condition: who === "old" ? "fair" : "needs_service",
        }),
        "Listing",
      );
      expect(patched.condition).toBe(who === "old" ? "fair" : "needs_service");
      expectShape(version, await call(who, "POST", `/v1/listings/${id}/publish`), "Listing");
      const got = expectShape(version, await call(who, "GET", `/v1/listings/${id}`), "Listing");
      expect(got.condition).toBe(who === "old" ? "fair" : "needs_service");
      const list = expectShape(version, await call(who, "GET", "/v1/listings"), "ListingList");
      for (const item of list.data as Json[]) {
        expect((shapes[version] as VersionShapes).keys("Listing", item)).toEqual([]);
      }

      // A request field that became required: the old pin may still omit it.
      const noPhone = await call(who, "POST", "/v1/customers", {
        email: `${who}@example.com`,
        name: "Ada",
      });
      if (who === "old") {
        expect(expectShape(version, noPhone, "Customer", 201).phone).toBeNull();
      } else {
        expect(noPhone.status).toBe(400);
        expect(noPhone.version).toBe(version);
        expect(noPhone.body.error).toMatchObject({ code: "parameter_missing", param: "phone" });
      }
      const customer =
        who === "old"
          ? noPhone.body
          : expectShape(
              version,
              await call(who, "POST", "/v1/customers", {
                email: "new@example.com",
                name: "Ada",
                phone: null,
              }),
              "Customer",
              201,
            );

      // The renamed field and the changed payload field, through an order's whole life.
      const order = expectShape(
        version,
        await call(who, "POST", "/v1/orders", {
          listing: id,
          customer: customer.id,
        }),
        "Order",
        201,
      );
      expect(order[who === "old" ? "amount" : "total_amount"]).toBe(900000);
      expectShape(version, await call(who, "POST", `/v1/test/orders/${order.id}/pay`), "Order");
      const shipped = expectShape(
        version,
        await call(who, "POST", `/v1/orders/${order.id}/ship`, {
          carrier: "DHL",
          [who === "old" ? "tracking_number" : "tracking_code"]: "123",
        }),
        "Order",
      );
      // The nested rename: the shipping object inside the order is each version's own.
      expect(shipped.shipping).toEqual(
        who === "old"
          ? { carrier: "DHL", tracking_number: "123" }
          : { carrier: "DHL", tracking_code: "123" },
      );

      const second = expectShape(
        version,
        await call(who, "POST", "/v1/listings", {
          brand: "Tudor",
          model: "Black Bay",
          reference_number: "79230",
          condition: "good",
          price: 300000,
          currency: "EUR",
        }),
        "Listing",
        201,
      );
      await call(who, "POST", `/v1/listings/${second.id}/publish`);
      const doomed = expectShape(
        version,
        await call(who, "POST", "/v1/orders", {
          listing: second.id,
          customer: customer.id,
        }),
        "Order",
        201,
      );
      const cancelled = expectShape(
        version,
        await call(who, "POST", `/v1/orders/${doomed.id}/cancel`, {
          reason: "changed my mind",
        }),
        "Order",
      );
      if (who === "old") expect(cancelled.cancellation_reason).toBe("changed my mind");
      else expect(cancelled.cancellation).toEqual({ reason: "changed my mind" });
      expectShape(version, await call(who, "GET", `/v1/orders/${order.id}`), "Order");
      const orders = expectShape(version, await call(who, "GET", "/v1/orders"), "OrderList");
      expect((orders.data as Json[]).length).toBe(2);

      // The removed endpoint: still there for the old pin, gone for the new one.
      const third = await call(who, "POST", "/v1/listings", {
        brand: "Seiko",
        model: "SKX007",
        reference_number: "SKX007",
        condition: "good",
        price: 20000,
        currency: "EUR",
      });
      const archive = await call(who, "POST", `/v1/listings/${third.body.id}/archive`);
      if (who === "old") expect(expectShape(version, archive, "Listing").status).toBe("archived");
      else {
        expect(archive.status).toBe(404);
        expect(archive.version).toBe(version);
        expect((archive.body.error as Json).code).toBe("route_not_found");
      }

      // Events through the API render like webhooks: at the pinned version.
      const events = expectShape(
        version,
        await call(who, "GET", "/v1/events?limit=100"),
        "EventList",
      );
      for (const event of events.data as Json[]) expect(event.api_version).toBe(version);
    }
  }, 300_000);

  it("when the events are delivered, then each endpoint gets every affected webhook in its own version, with api_version saying which", async () => {
    const types = [
      "listing.created",
      "listing.updated",
      "listing.published",
      "listing.sold",
      "customer.created",
      "order.created",
      "order.paid",
      "order.shipped",
      "order.cancelled",
    ];
    const deadline = Date.now() + 30_000;
    const seen = (r: Receiver) => new Set(r.bodies.map((b) => b.type as string));
    while (receivers.some((r) => types.some((t) => !seen(r).has(t))) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const [i, version] of [OLD, NEW].entries()) {
      const hook = receivers[i] as Receiver;
      expect([...seen(hook)].sort()).toEqual(expect.arrayContaining(types));
      const s = shapes[version] as VersionShapes;
      for (const body of hook.bodies) {
        expect(body.api_version).toBe(version);
        expect(s.webhook(body.type as string, body)).toEqual([]);
        const object = (body.data as { object: Json }).object;
        const schema = { listing: "Listing", customer: "Customer", order: "Order" }[
          object.object as string
        ] as string;
        expect(s.keys(schema, object)).toEqual([]);
        if (schema === "Listing" && body.type === "listing.created") {
          expect(["fair", "for_parts", "good"]).toContain(object.condition);
          if (version === OLD) expect(object.condition).not.toBe("for_parts");
        }
        if (body.type === "order.shipped") {
          expect(object.shipping).toEqual(
            version === OLD
              ? { carrier: "DHL", tracking_number: "123" }
              : { carrier: "DHL", tracking_code: "123" },
          );
        }
        if (body.type === "order.cancelled") {
          if (version === OLD) expect(object.cancellation_reason).toBe("changed my mind");
          else expect(object.cancellation).toEqual({ reason: "changed my mind" });
        }
      }
    }
  }, 60_000);

  /*
   * Replays and retries across a roll, as docs/webhooks.md, docs/versioning.md and
   * docs/minting.md state it (the last test checks they state it in the same words): what was
   * rendered is re-sent as it was, labelled with its version; a new delivery or response is
   * rendered in the version pinned when it is created.
   */
  const beforeRoll: {
    customer?: Reply;
    order?: Reply;
    orderBody?: Json;
    eventId?: string;
    failed?: Received;
    rolledAt?: number;
  } = {};
  const idempotent = { "idempotency-key": "order-before-the-roll" };
  // Valid for 2026-05-07, which lets `phone` out; 2026-09-01 requires it.
  const customerBody = { email: "roll@example.com", name: "Ada" };
  const customerKey = { "idempotency-key": "customer-before-the-roll" };

  it("when the old integration is rolled forward with wth integrations roll, then its new responses and webhooks are 2026-09-01", async () => {
    const hook = receivers[0] as Receiver;
    // Before the roll: an idempotent order, whose order.created delivery the receiver refuses.
    const listing = expectShape(
      OLD,
      await call("old", "POST", "/v1/listings", {
        brand: "Longines",
        model: "Legend Diver",
        reference_number: "L3.674.4",
        condition: "good",
        price: 180000,
        currency: "EUR",
      }),
      "Listing",
      201,
    );
    expectShape(OLD, await call("old", "POST", `/v1/listings/${listing.id}/publish`), "Listing");
    const created = await call("old", "POST", "/v1/customers", customerBody, customerKey);
    const customer = expectShape(OLD, created, "Customer", 201);
    hook.failing = (body) =>
      body.type === "order.created" &&
      (body.data as { object: Json }).object.listing === listing.id;
    const orderBody = { listing: listing.id as string, customer: customer.id as string };
    const order = await call("old", "POST", "/v1/orders", orderBody, idempotent);
    expectShape(OLD, order, "Order", 201);
    expect(order.body.amount).toBe(180000);
    const failed = await waitFor("a refused order.created delivery before the roll", () =>
      hook.received.find((r) => r.status === 500 && hook.failing?.(r.body) === true),
    );
    expect(failed.body.api_version).toBe(OLD);

    const rolled = await wth(["integrations", "roll", "--id", keys.old?.id as string, "--to", NEW]);
    expect(rolled.code, rolled.stderr).toBe(0);
    Object.assign(beforeRoll, {
      customer: created,
      order,
      orderBody,
      eventId: failed.body.id as string,
      failed,
      rolledAt: Date.now(),
    });

    const integration = expectShape(
      NEW,
      await call("old", "GET", "/v1/integration"),
      "Integration",
    );
    expect(integration.api_version).toBe(NEW);
    // The same order, read after the roll, is in the new shape.
    const read = expectShape(NEW, await call("old", "GET", `/v1/orders/${order.body.id}`), "Order");
    expect(read.total_amount).toBe(180000);
    expect(read).not.toHaveProperty("amount");
    const orders = expectShape(NEW, await call("old", "GET", "/v1/orders"), "OrderList");
    for (const o of orders.data as Json[]) {
      expect(o).toHaveProperty("total_amount");
      expect(o).not.toHaveProperty("amount");
    }
    expectShape(
      NEW,
      await call("old", "POST", "/v1/listings", {
        brand: "IWC",
        model: "Pilot",
        reference_number: "IW3777",
        condition: "for_parts",
        price: 100000,
        currency: "EUR",
      }),
      "Listing",
      201,
    );
    const latest = await waitFor("listing.created after the roll", () =>
      hook.received.find(
        (r) => r.body.type === "listing.created" && r.at >= (beforeRoll.rolledAt as number),
      ),
    );
    expect(latest.body.api_version).toBe(NEW);
    expect((shapes[NEW] as VersionShapes).webhook("listing.created", latest.body)).toEqual([]);
    expect((latest.body.data as { object: Json }).object.condition).toBe("for_parts");
  }, 120_000);

  it("when idempotent requests made before the roll are replayed after it, then the stored responses come back byte for byte, labelled 2026-05-07", async () => {
    const first = beforeRoll.order as Reply;
    const replayed = await call("old", "POST", "/v1/orders", beforeRoll.orderBody, idempotent);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.version).toBe(OLD);
    expect(replayed.raw).toBe(first.raw);
    expectShape(OLD, replayed, "Order", 201);
    expect(replayed.body).toHaveProperty("amount");

    // Even a request the new pin would refuse replays: it was accepted when it was made.
    const customer = await call("old", "POST", "/v1/customers", customerBody, customerKey);
    expect(customer.status, customer.raw).toBe(201);
    expect(customer.headers.get("idempotent-replayed")).toBe("true");
    expect(customer.version).toBe(OLD);
    expect(customer.raw).toBe((beforeRoll.customer as Reply).raw);
    const fresh = await call("old", "POST", "/v1/customers", customerBody, {
      "idempotency-key": "customer-after-the-roll",
    });
    expect(fresh.status).toBe(400);
    expect(fresh.version).toBe(NEW);
    expect(fresh.body.error).toMatchObject({ code: "parameter_missing", param: "phone" });
  }, 60_000);

  it("when a delivery that failed before the roll is retried after it, then the same 2026-05-07 bytes are sent under the same webhook-id", async () => {
    const hook = receivers[0] as Receiver;
    const failed = beforeRoll.failed as Received;
    // Every attempt so far was refused; now, after the roll, the receiver is back. (How many
    // refusals fall after the roll depends on the machine's load, so only the success is timed.)
    hook.failing = undefined;
    const delivered = await waitFor("the retried order.created delivery", () =>
      hook.received.find((r) => r.status === 200 && r.headers["webhook-id"] === beforeRoll.eventId),
    );
    expect(delivered.at).toBeGreaterThan(beforeRoll.rolledAt as number);
    const attempts = hook.received.filter((r) => r.headers["webhook-id"] === beforeRoll.eventId);
    expect(attempts.slice(0, -1).every((r) => r.status === 500)).toBe(true);
    for (const attempt of attempts) expect(attempt.raw).toBe(failed.raw);
    expect(delivered.body.api_version).toBe(OLD);
    expect((shapes[OLD] as VersionShapes).webhook("order.created", delivered.body)).toEqual([]);
    const object = (delivered.body.data as { object: Json }).object;
    expect(object.amount).toBe(180000);
    expect(object).not.toHaveProperty("total_amount");

    // The API tells the same story: one delivery, refused before it succeeded.
    const deliveries = expectShape(
      NEW,
      await call("old", "GET", `/v1/events/${beforeRoll.eventId}/deliveries`),
      "WebhookDeliveryList",
    );
    const [delivery] = deliveries.data as Json[];
    expect(deliveries.data).toHaveLength(1);
    expect(delivery?.status).toBe("succeeded");
    const history = delivery?.attempts as Json[];
    expect(history.length).toBe(attempts.length);
    expect(history[0]).toMatchObject({ status_code: 500, error: "http_status" });
  }, 120_000);

  it("when an event delivered before the roll is replayed after it, then the new delivery is rendered in 2026-09-01 under the same webhook-id", async () => {
    const hook = receivers[0] as Receiver;
    const before = hook.received.length;
    const replay = await call("old", "POST", `/v1/events/${beforeRoll.eventId}/replay`, {
      webhook_endpoint: endpoints.old as string,
    });
    expectShape(NEW, replay, "WebhookDelivery", 202);
    expect(replay.body.event).toBe(beforeRoll.eventId);
    const delivered = await waitFor("the replayed order.created delivery", () =>
      hook.received.slice(before).find((r) => r.headers["webhook-id"] === beforeRoll.eventId),
    );
    expect(delivered.status).toBe(200);
    expect(delivered.body.api_version).toBe(NEW);
    expect(delivered.raw).not.toBe((beforeRoll.failed as Received).raw);
    expect((shapes[NEW] as VersionShapes).webhook("order.created", delivered.body)).toEqual([]);
    const object = (delivered.body.data as { object: Json }).object;
    expect(object.total_amount).toBe(180000);
    expect(object).not.toHaveProperty("amount");
    // The replay is the event as the API shows it now, at the integration's pinned version.
    const event = expectShape(
      NEW,
      await call("old", "GET", `/v1/events/${beforeRoll.eventId}`),
      "Event",
    );
    expect(delivered.body).toEqual(event);
  }, 60_000);

  it("when the docs state which version a replay or retry is in, then webhooks.md, versioning.md and minting.md state the rule this test proves in the same words", () => {
    const rules = ["webhooks.md", "versioning.md", "minting.md"].map((doc) => {
      const text = fs.readFileSync(path.join(repoRoot, "docs", doc), "utf8");
      const at = text.indexOf(REPLAY_RULE_LEAD);
      expect(at, `docs/${doc} states the rule`).toBeGreaterThan(-1);
      const end = text.indexOf("\n\n", at);
      return text.slice(at, end === -1 ? undefined : end).replace(/\s+/g, " ");
    });
    expect(new Set(rules).size).toBe(1);
    const rule = rules[0] as string;
    // What the tests above assert, in the docs' words.
    for (const claim of [
      "the first response, with the `X-API-Version` it was rendered in",
      "retries and dead-letter recoveries send the same body bytes",
      "whose `api_version` names their version",
      "creates a new delivery, rendered in the version pinned at that moment",
      "keep the `webhook-id`",
    ]) {
      expect(rule).toContain(claim);
    }
  });

  it("when generated newest-version objects go down the chain and requests come back up, then every shape is valid and what an old pin sends is what it reads back", async () => {
    const { versionBundle } = (await import(
      path.join(root, "server", "versions", "changes", "index.ts")
    )) as { versionBundle: VersionBundle };
    const converter = createConverter(
      versionBundle,
      (v) => (shapes[v] as VersionShapes | undefined)?.doc,
      [OLD, NEW],
    );
    const oldShapes = shapes[OLD] as VersionShapes;
    const newShapes = shapes[NEW] as VersionShapes;
    const newDoc = newShapes.doc as unknown as Doc;
    const oldDoc = oldShapes.doc as unknown as Doc;
    const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

    for (const name of ["Listing", "Order", "Customer"]) {
      fc.assert(
        fc.property(validArb(newDoc, schemaRef(name)), (generated) => {
          const newest = generated as Json;
          const before = structuredClone(newest);
          const old = converter.renderForVersion(OLD, name, newest);
          expect(newest).toEqual(before); // converters never mutate the handler's object
          expect(oldShapes.schema(name, old)).toEqual([]);
          expect(oldShapes.keys(name, old)).toEqual([]);
          expect(converter.renderForVersion(NEW, name, newest)).toBe(newest);
        }),
        { numRuns: 200 },
      );
    }

    const roundTrips = [
      { op: "createListing", request: "CreateListingRequest", object: "Listing" },
      { op: "updateListing", request: "UpdateListingRequest", object: "Listing" },
      { op: "createCustomer", request: "CreateCustomerRequest", object: "Customer" },
    ];
    for (const { op, request, object } of roundTrips) {
      fc.assert(
        fc.property(
          validArb(oldDoc, schemaRef(request)),
          validArb(newDoc, schemaRef(object)),
          (sent, stored) => {
            const body = sent as Json;
            const up = converter.upgradeRequest(OLD, op, body);
            expect(newShapes.schema(request, up)).toEqual([]);
            // The handler stores what it was given; the old pin reads it back in its shape.
            const readBack = converter.renderForVersion(OLD, object, {
              ...(stored as Json),
              ...up,
            });
            for (const [field, value] of Object.entries(body)) {
              if (field === "metadata" || field === "shipping_address") continue; // merged, not echoed
              expect(readBack[field]).toEqual(value);
            }
          },
        ),
        { numRuns: 200 },
      );
    }
  }, 60_000);

  it("when docs/minting.md lists the maintainer's steps, then this test ran every one of them", () => {
    const text = fs.readFileSync(path.join(repoRoot, "docs", "minting.md"), "utf8");
    const steps = [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap((m) => (m[1] as string).split("\n"))
      .map((l) => l.replace(/#.*$/, "").trim())
      .filter((l) => l.startsWith("wth "));
    expect(steps.length).toBeGreaterThanOrEqual(6);
    const normalise = (c: string) =>
      c.replace(/<[^>]+>/g, "<id>").replace(/int_[0-9A-Za-z]+/g, "<id>");
    const ran = commandsRun.map(normalise);
    for (const step of steps) expect(ran).toContain(normalise(step));
    // Its TypeScript examples are the files this run used: the scaffolded one and the hand-written.
    const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(
      fs.readFileSync(
        path.join(root, "server/versions/changes", NEW, "order-amount-renamed-to-total-amount.ts"),
        "utf8",
      ),
    );
    expect(blocks).toContain(HAND_WRITTEN_CANCELLATION);
  });
});
