/**
 * The integrator's path, end to end: pack the generated client, install the tarball into a fresh
 * project that has nothing else from this repository, type-check the documented snippets
 * (docs/snippets/client, including a complete program) under `strict` with the package's own
 * declarations checked too, and run the program against a live server with webhooks, through
 * Prism's validating proxy (test/support/prism.ts): a third party's reading of the document must
 * find nothing wrong with any request the program sends or any response it gets.
 */
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyTestDatabase, type TestDatabase } from "../support/database.ts";
import { type Prism, startPrism } from "../support/prism.ts";
import { installPackedClient } from "./helpers/packed-project.ts";
import {
  type ApiServer,
  cleanEnv,
  type Finished,
  REPO_ROOT,
  run,
  startApiServer,
} from "./helpers/processes.ts";

const PACKAGE_DIR = path.join(REPO_ROOT, "generated/2026-05-07/client");
const SNIPPETS_DIR = path.join(REPO_ROOT, "docs/snippets/client");
/** docs/versioning.md's example, compiled with the client's snippets. */
const VERSIONING_SNIPPETS_DIR = path.join(REPO_ROOT, "docs/snippets/versioning");

let work: string;
let project: string;
let installed: Finished;
let typeCheck: Finished;
let server: ApiServer | undefined;
let prism: Prism | undefined;
let apiKey: string;
/** The server's database on the backend under test (WTH_TEST_BACKEND). */
let database: TestDatabase | undefined;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "wth-client-e2e-"));
  project = path.join(work, "project");

  await cp(SNIPPETS_DIR, path.join(project, "src"), { recursive: true });
  await cp(VERSIONING_SNIPPETS_DIR, path.join(project, "src/versioning"), { recursive: true });
  ({ installed, compiled: typeCheck } = await installPackedClient(
    PACKAGE_DIR,
    work,
    project,
    "sample-integration",
  ));

  database = await createEmptyTestDatabase({ dir: path.join(work, "data") });
  server = await startApiServer(path.join(work, "data"), {
    ...database.env,
    WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
  });
  const created = await run(
    process.execPath,
    ["scripts/wth.js", "integrations", "create", "--name", "e2e", "--json"],
    { cwd: REPO_ROOT, env: cleanEnv(database.env) },
  );
  expect(created.code, created.stderr).toBe(0);
  apiKey = (JSON.parse(created.stdout) as { api_key: string }).api_key;
  prism = await startPrism(server.baseUrl, "2026-05-07");
}, 300_000);

afterAll(async () => {
  await prism?.stop();
  await server?.stop();
  await database?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe("the packed client in a fresh project", () => {
  it("when the tarball is installed, then only the client and public npm packages are present", async () => {
    expect(installed.code, installed.stderr).toBe(0);
    const modules = await readdir(path.join(project, "node_modules"));
    expect(modules).toEqual(expect.arrayContaining(["@watchtraderhub", "openapi-fetch"]));
    const manifest = JSON.parse(
      await readFile(
        path.join(project, "node_modules/@watchtraderhub/api-2026-05-07/package.json"),
        "utf8",
      ),
    ) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(["openapi-fetch"]);
  });

  it("when the documented snippets are type-checked under strict, then tsc reports nothing", () => {
    expect(typeCheck.stdout + typeCheck.stderr).toBe("");
    expect(typeCheck.code).toBe(0);
  });

  it("when the sample program runs against a live server through Prism, then every step of the integration works and Prism finds no violation", async () => {
    const program = await run(process.execPath, ["dist/quickstart.js"], {
      cwd: project,
      env: cleanEnv({ WTH_API_KEY: apiKey, WTH_BASE_URL: prism?.url ?? "" }),
    });
    expect(prism?.violations(), prism?.output()).toEqual([]);
    expect(program.stderr).toBe("");
    expect(program.code).toBe(0);
    const summary = JSON.parse(program.stdout);
    expect(summary).toMatchObject({
      api_version: { client: "2026-05-07", integration: "2026-05-07" },
      listing: { status: "published" },
      webhook: { type: "listing.published", described: "Rolex Submariner Date is for sale" },
      republish: "this listing is already published, sold or archived",
      missing: { code: "resource_not_found", next: "give-up" },
      order: "resource_not_found",
      paginated: { count: 3, includes_all: true },
      test_webhooks: { accepted: 204, rejected: 400 },
    });
    expect(summary.listing.id).toMatch(/^lst_/);
    expect(summary.webhook.id).toMatch(/^evt_/);
  });
});
