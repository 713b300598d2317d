/**
 * Every code sample of the reference, as an integrator would use it: the TypeScript samples are
 * compiled under `strict` against the packed client installed in a fresh project, and every
 * curl and TypeScript sample runs against one live server. Before a sample runs, only what an
 * integrator fills in changes: the example IDs become IDs of real objects in the right state,
 * the example Idempotency-Key a fresh one, and the example base URL the test server's.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPackedClient } from "../client/helpers/packed-project.ts";
import {
  type ApiServer,
  cleanEnv,
  type Finished,
  REPO_ROOT,
  run,
  startApiServer,
} from "../client/helpers/processes.ts";
import { createEmptyTestDatabase, type TestDatabase } from "../support/database.ts";

const VERSION = "2026-05-07";
const GENERATED = path.join(REPO_ROOT, "generated", VERSION);
/** The base URL and Idempotency-Key the samples show (the document's server and example). */
const EXAMPLE_BASE_URL = "http://localhost:3000";
const EXAMPLE_IDEMPOTENCY_KEY = "5b0d6c1e-8f9a-4f8e-9d2c-2f4b1f0a7c3e";

interface Samples {
  method: string;
  path: string;
  curl: string;
  typescript: string;
}

interface Document {
  paths: Record<string, Record<string, { operationId?: string; responses: object }>>;
}

let work: string;
let project: string;
let samples: Record<string, Samples>;
let document: Document;
let installed: Finished;
let compiled: Finished;
let server: ApiServer | undefined;
let database: TestDatabase | undefined;
let receiver: Server | undefined;
let receiverUrl: string;
let apiKey: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "wth-code-samples-"));
  project = path.join(work, "project");
  samples = (
    JSON.parse(await readFile(path.join(GENERATED, "docs/code-samples.json"), "utf8")) as {
      operations: Record<string, Samples>;
    }
  ).operations;
  document = JSON.parse(await readFile(path.join(GENERATED, "openapi.json"), "utf8")) as Document;

  await mkdir(path.join(project, "src"), { recursive: true });
  for (const [operationId, sample] of Object.entries(samples)) {
    await writeFile(path.join(project, "src", `${operationId}.ts`), sample.typescript);
  }
  ({ installed, compiled } = await installPackedClient(
    path.join(GENERATED, "client"),
    work,
    project,
    "samples",
  ));

  // A receiver for the webhook endpoints the fixtures register, so deliveries succeed.
  receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  database = await createEmptyTestDatabase({ dir: path.join(work, "data") });
  server = await startApiServer(path.join(work, "data"), {
    ...database.env,
    WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
  });
  const created = await run(
    process.execPath,
    ["scripts/wth.js", "integrations", "create", "--name", "samples", "--json"],
    { cwd: REPO_ROOT, env: cleanEnv(database.env) },
  );
  expect(created.code, created.stderr).toBe(0);
  apiKey = (JSON.parse(created.stdout) as { api_key: string }).api_key;
  // curl reads its options file from CURL_HOME: quiet, errors shown, the status on the last line.
  await writeFile(
    path.join(work, ".curlrc"),
    `silent\nshow-error\nwrite-out = "\\n%{http_code}"\n`,
  );
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** The two shapes fixtures read: an object's ID, or a list page's IDs. */
interface FixtureBody {
  id: string;
  data: { id: string }[];
}

/** A call with the test's key, for fixtures; throws with the body on any non-2xx. */
async function api(method: string, route: string, body?: unknown): Promise<FixtureBody> {
  const response = await fetch(`${server?.baseUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`fixture ${method} ${route}: ${response.status} ${text}`);
  return JSON.parse(text) as FixtureBody;
}

async function listing(published: boolean): Promise<string> {
  const created = await api("POST", "/v1/listings", {
    brand: "Omega",
    model: "Speedmaster",
    reference_number: "310.30.42.50.01.001",
    condition: "unworn",
    price: 720000,
    currency: "EUR",
  });
  if (published) await api("POST", `/v1/listings/${created.id}/publish`);
  return created.id;
}

async function customer(): Promise<string> {
  return (await api("POST", "/v1/customers", { email: `${randomUUID()}@example.com`, name: "Ada" }))
    .id;
}

async function order(state: "pending" | "paid" | "shipped"): Promise<string> {
  const created = await api("POST", "/v1/orders", {
    listing: await listing(true),
    customer: await customer(),
  });
  if (state !== "pending") await api("POST", `/v1/test/orders/${created.id}/pay`);
  if (state === "shipped") {
    await api("POST", `/v1/orders/${created.id}/ship`, { carrier: "DHL", tracking_number: "1" });
  }
  return created.id;
}

async function endpoint(): Promise<string> {
  return (await api("POST", "/v1/webhook_endpoints", { url: receiverUrl, enabled_events: ["*"] }))
    .id;
}

async function event(): Promise<string> {
  await listing(false);
  const newest = (await api("GET", "/v1/events?limit=1")).data[0];
  if (newest === undefined) throw new Error("creating a listing made no event");
  return newest.id;
}

/** A delivery made by the server's worker to the receiver; polls (bounded) until it exists. */
async function delivery(): Promise<string> {
  const id = await endpoint();
  await api("POST", "/v1/test/events", { type: "listing.created" });
  for (let attempt = 0; attempt < 100; attempt++) {
    const page = await api("GET", `/v1/webhook_endpoints/${id}/deliveries?limit=1`);
    const first = page.data[0];
    if (first !== undefined) return first.id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("no delivery was made within 10 s");
}

/** A real object for each ID prefix a sample mentions, in the state the operation needs. */
async function fixtureFor(operationId: string, prefix: string): Promise<string> {
  switch (prefix) {
    case "lst":
      return listing(operationId === "createOrder");
    case "cus":
      return customer();
    case "ord":
      return order(
        operationId === "shipOrder"
          ? "paid"
          : operationId === "deliverTestOrder"
            ? "shipped"
            : "pending",
      );
    case "we":
      return endpoint();
    case "evt":
      return event();
    case "wd":
      return delivery();
    default:
      throw new Error(`no fixture for the ID prefix ${prefix}_ in the sample of ${operationId}`);
  }
}

/** The sample with the integrator's values filled in. */
async function filledIn(operationId: string, text: string): Promise<string> {
  const ids = new Map<string, string>();
  for (const match of text.matchAll(/\b(lst|cus|ord|evt|we|wd)_[A-Za-z0-9]{24}\b/g)) {
    const [example, prefix] = match as unknown as [string, string];
    if (!ids.has(example)) ids.set(example, await fixtureFor(operationId, prefix));
  }
  let filled = text
    .replaceAll(EXAMPLE_BASE_URL, server?.baseUrl ?? "")
    .replaceAll(EXAMPLE_IDEMPOTENCY_KEY, randomUUID());
  for (const [example, real] of ids) filled = filled.replaceAll(example, real);
  return filled;
}

function successStatus(operationId: string): number {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (operation.operationId !== operationId) continue;
      const status = Object.keys(operation.responses).find((code) => /^2\d\d$/.test(code));
      if (status !== undefined) return Number(status);
    }
  }
  throw new Error(`${operationId} has no 2xx response in the document`);
}

describe("the reference's code samples", () => {
  it("when generated, then every operation of the document has a curl and a TypeScript sample", () => {
    const operations = Object.values(document.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op.operationId ? [op.operationId] : [])),
    );
    expect(operations.length).toBe(36);
    expect(Object.keys(samples).sort()).toEqual([...operations].sort());
    for (const sample of Object.values(samples)) {
      expect(sample.curl).toContain('-H "Authorization: Bearer $WTH_API_KEY"');
      expect(sample.typescript).toContain("apiKey: process.env.WTH_API_KEY");
      // A placeholder means the document lacks an example the sample needed.
      expect(`${sample.curl}\n${sample.typescript}`).not.toMatch(/\b[A-Z]+_ID\b|IDEMPOTENCY_KEY/);
    }
  });

  it("when the reference page is built, then it carries every sample as x-codeSamples", async () => {
    const html = await readFile(path.join(GENERATED, "docs/index.html"), "utf8");
    const inPage = (text: string): string => JSON.stringify(text).replaceAll("<", "\\u003c");
    for (const sample of Object.values(samples)) {
      expect(html).toContain(
        `"x-codeSamples":[{"lang":"Shell","label":"curl","source":${inPage(sample.curl)}}`,
      );
      expect(html).toContain(inPage(sample.typescript));
    }
  });

  it("when every TypeScript sample is compiled under strict against the packed client, then tsc reports nothing", () => {
    expect(installed.code, installed.stderr).toBe(0);
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.code).toBe(0);
  });

  it("when every sample runs against a live server, then each gets its documented success status", async () => {
    const failures: string[] = [];
    for (const [operationId, sample] of Object.entries(samples)) {
      const expected = successStatus(operationId);

      const curl = await run("bash", ["-c", await filledIn(operationId, sample.curl)], {
        cwd: work,
        env: cleanEnv({ WTH_API_KEY: apiKey, CURL_HOME: work }),
      });
      const status = Number(curl.stdout.trim().split("\n").at(-1));
      if (curl.code !== 0 || status !== expected) {
        failures.push(`${operationId} curl: exit ${curl.code}, status ${status}: ${curl.stdout}`);
      }

      const script = path.join(project, "dist", `${operationId}.js`);
      const js = await readFile(script, "utf8");
      const runnable = path.join(project, "dist", `${operationId}.run.js`);
      await writeFile(runnable, await filledIn(operationId, js));
      const program = await run(process.execPath, [runnable], {
        cwd: project,
        env: cleanEnv({ WTH_API_KEY: apiKey }),
      });
      if (program.code !== 0 || program.stderr !== "" || !/object: '/.test(program.stdout)) {
        failures.push(
          `${operationId} TypeScript: exit ${program.code}: ${program.stderr || program.stdout}`,
        );
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
