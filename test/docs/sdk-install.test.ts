/**
 * The client installs as the docs say: `npm install <server>/sdk/@watchtraderhub/api-<date>.tgz`
 * from a live server into a fresh project (npm's cache serves openapi-fetch, the one dependency).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, REPO_ROOT, run, startApiServer } from "../client/helpers/processes.ts";
import { createEmptyTestDatabase, type TestDatabase } from "../support/database.ts";

const VERSION = "2026-05-07";
const PACKAGE = `@watchtraderhub/api-${VERSION}`;

let work: string;
let server: ApiServer | undefined;
let database: TestDatabase | undefined;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "wth-sdk-install-"));
  database = await createEmptyTestDatabase({ dir: path.join(work, "data") });
  server = await startApiServer(path.join(work, "data"), database.env);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe("the client tarball served at /sdk", () => {
  it("when the docs' install command runs, then the version's client is installed and imports", async () => {
    const guide = await readFile(path.join(REPO_ROOT, "docs/client.md"), "utf8");
    const command = `npm install http://localhost:3000/sdk/${PACKAGE}.tgz`;
    expect(guide).toContain(command);

    const project = path.join(work, "project");
    await run("mkdir", ["-p", project], { cwd: work });
    await writeFile(
      path.join(project, "package.json"),
      JSON.stringify({ name: "p", private: true, type: "module" }),
    );
    const url = `${server?.baseUrl}/sdk/${PACKAGE}.tgz`;
    const installed = await run(
      "npm",
      ["install", url, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"],
      { cwd: project },
    );
    expect(installed.code, installed.stderr).toBe(0);
    const manifest = JSON.parse(
      await readFile(path.join(project, "node_modules", PACKAGE, "package.json"), "utf8"),
    ) as { name: string; version: string; dependencies: Record<string, string> };
    expect(manifest.name).toBe(PACKAGE);
    // The npm version follows the document: its date, then the additive changes since release.
    const generated = JSON.parse(
      await readFile(path.join(REPO_ROOT, "generated", VERSION, "client", "package.json"), "utf8"),
    ) as { version: string };
    expect(manifest.version).toBe(generated.version);
    expect(manifest.version).toMatch(/^2026\.507\.\d+$/);
    expect(Object.keys(manifest.dependencies)).toEqual(["openapi-fetch"]);
    const imported = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { API_VERSION } from "${PACKAGE}"; console.log(API_VERSION);`,
      ],
      { cwd: project },
    );
    expect(imported.stdout.trim(), imported.stderr).toBe(VERSION);
  }, 180_000);

  it("when fetched twice, then the bytes are the same, and an unknown version is a 404", async () => {
    const url = `${server?.baseUrl}/sdk/${PACKAGE}.tgz`;
    const first = Buffer.from(await (await fetch(url)).arrayBuffer());
    const second = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(first.equals(second)).toBe(true);
    const missing = await fetch(`${server?.baseUrl}/sdk/@watchtraderhub/api-1999-01-01.tgz`);
    expect(missing.status).toBe(404);
  });
});
