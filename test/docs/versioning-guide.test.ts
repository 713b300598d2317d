/**
 * docs/versioning.md, the integrators' page on versions: its TypeScript is a snippet file that
 * test/client/e2e.test.ts type-checks against the packed client, and its shell command runs
 * against a live server and prints the pinned version it promises.
 */

import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Lexer, type Tokens } from "marked";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiServer,
  cleanEnv,
  REPO_ROOT,
  run,
  startApiServer,
} from "../client/helpers/processes.ts";
import { createEmptyTestDatabase, type TestDatabase } from "../support/database.ts";

const GUIDE = path.join(REPO_ROOT, "docs/versioning.md");
const SNIPPETS = "docs/snippets/versioning";

let work: string;
let server: ApiServer | undefined;
let database: TestDatabase | undefined;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "wth-versioning-guide-"));
  database = await createEmptyTestDatabase({ dir: path.join(work, "data") });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function codeBlocks(): Promise<Tokens.Code[]> {
  return new Lexer()
    .lex(await readFile(GUIDE, "utf8"))
    .filter((token): token is Tokens.Code => token.type === "code");
}

describe("docs/versioning.md", () => {
  it("when the guide shows TypeScript, then each block is a snippet file byte for byte, and every snippet file is shown", async () => {
    const text = await readFile(GUIDE, "utf8");
    const embedded = [...text.matchAll(/<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g)];
    const tsBlocks = (await codeBlocks()).filter((block) => block.lang === "ts");
    expect(embedded.length).toBe(tsBlocks.length);
    for (const [, file = "", block] of embedded) {
      expect(block, `${file} differs from its block`).toBe(
        await readFile(path.join(REPO_ROOT, file), "utf8"),
      );
    }
    const files = (await readdir(path.join(REPO_ROOT, SNIPPETS))).map((f) => `${SNIPPETS}/${f}`);
    expect(embedded.map(([, file]) => file).sort()).toEqual(files.sort());
  });

  it("when its shell command runs with a new integration's key, then it prints the pinned version", async () => {
    const shell = (await codeBlocks()).filter((block) => block.lang === "sh");
    expect(shell.length).toBeGreaterThan(0);
    server = await startApiServer(path.join(work, "data"), { ...database?.env });
    const created = await run(
      process.execPath,
      ["scripts/wth.js", "integrations", "create", "--name", "versioning-guide", "--json"],
      { cwd: REPO_ROOT, env: cleanEnv({ ...database?.env }) },
    );
    expect(created.code, created.stderr).toBe(0);
    const { api_key: apiKey, api_version: pinned } = JSON.parse(created.stdout) as {
      api_key: string;
      api_version: string;
    };
    expect(pinned).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const block of shell) {
      const session = await run(
        "bash",
        [
          "-c",
          `set -euo pipefail\n${block.text.replaceAll("http://localhost:3000", server.baseUrl)}`,
        ],
        { cwd: work, env: cleanEnv({ WTH_API_KEY: apiKey }) },
      );
      expect(session.code, session.stderr).toBe(0);
      expect(session.stdout.trim().toLowerCase()).toBe(`x-api-version: ${pinned}`);
    }
  }, 120_000);
});
