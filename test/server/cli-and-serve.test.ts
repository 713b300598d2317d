import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest } from "../../server/db/migrate.ts";
import { systemClock, systemRandom } from "../../server/deps.ts";
import {
  createIntegration,
  findIntegrationByKey,
  IntegrationError,
  rollIntegration,
} from "../../server/integrations.ts";
import { repoRoot } from "../../server/versions/registry.ts";
import { createEmptyTestDatabase, type TestDatabase } from "../support/database.ts";

const WTH = path.join(repoRoot, "scripts", "wth.js");
const children: ChildProcess[] = [];
const dirs: string[] = [];
/** Each temp dir's database on the backend under test (WTH_TEST_BACKEND). */
const databases = new Map<string, TestDatabase>();

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-cli-"));
  dirs.push(dir);
  databases.set(dir, await createEmptyTestDatabase({ dir }));
  return dir;
}

function databaseOf(dataDir: string): TestDatabase {
  const database = databases.get(dataDir);
  if (database === undefined) throw new Error(`no test database for ${dataDir}`);
  return database;
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  }
  for (const database of databases.values()) await database.close();
  databases.clear();
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

function env(dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...databases.get(dataDir)?.env,
    DATA_DIR: dataDir,
    TMPDIR: dataDir,
    NODE_ENV: "development",
    PORT: "0",
    HOST: "127.0.0.1",
  };
}

function wth(
  args: string[],
  dataDir: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WTH, ...args], {
      env: { ...env(dataDir), ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c;
    });
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("wth integrations", () => {
  it("when an integration is created with --json, then it prints id, api_key and the newest version once, and stores only a hash", async () => {
    const dataDir = await tempDir();
    const created = await wth(
      ["integrations", "create", "--name", "Acme", "--mode", "live", "--json"],
      dataDir,
    );
    expect(created.code).toBe(0);
    const out = JSON.parse(created.stdout) as Record<string, string>;
    expect(out).toMatchObject({
      object: "integration",
      name: "Acme",
      mode: "live",
      api_version: "2026-05-07",
    });
    expect(out.id).toMatch(/^int_/);
    expect(out.api_key).toMatch(/^wth_live_[0-9A-Za-z]{32}$/);
    const files = await fs.readdir(dataDir);
    for (const f of files.filter((name) => name.startsWith("wth.sqlite"))) {
      expect((await fs.readFile(path.join(dataDir, f))).includes(out.api_key as string)).toBe(
        false,
      );
    }
    const stored = await databaseOf(dataDir).handle.db.selectFrom("api_keys").selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(out.api_key as string);

    const listed = await wth(["integrations", "list", "--json"], dataDir);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(out.api_key as string);
    const list = JSON.parse(listed.stdout) as Array<{
      id: string;
      keys: Array<{ prefix: string }>;
    }>;
    expect(list.map((i) => i.id)).toEqual([out.id]);
    expect((out.api_key as string).startsWith(list[0]?.keys[0]?.prefix ?? "?")).toBe(true);

    const rolled = await wth(
      ["integrations", "roll", "--id", out.id as string, "--to", "2031-01-01"],
      dataDir,
    );
    expect(rolled.code).toBe(1);
    expect(rolled.stderr).toContain("not a released API version");
    const missing = await wth(["integrations", "create", "--json"], dataDir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--name");
  });

  it("when a key is rotated and then revoked, then the new key works and the revoked ones stop", async () => {
    const dataDir = await tempDir();
    const created = JSON.parse(
      (await wth(["integrations", "create", "--name", "Rotator", "--json"], dataDir)).stdout,
    ) as Record<string, string>;
    const rotated = await wth(
      ["integrations", "rotate-key", "--id", created.id as string, "--json"],
      dataDir,
    );
    expect(rotated.code).toBe(0);
    const fresh = JSON.parse(rotated.stdout) as {
      api_key: string;
      key_id: string;
      revoked: string[];
    };
    expect(fresh.revoked).toEqual([]);
    const { handle } = databaseOf(dataDir);
    try {
      expect((await findIntegrationByKey(handle.db, created.api_key as string))?.id).toBe(
        created.id,
      );
      expect((await findIntegrationByKey(handle.db, fresh.api_key))?.id).toBe(created.id);
      const revoked = await wth(
        ["integrations", "revoke-key", "--key", created.key_id as string, "--json"],
        dataDir,
      );
      expect(revoked.code).toBe(0);
      expect(await findIntegrationByKey(handle.db, created.api_key as string)).toBeUndefined();
      expect((await findIntegrationByKey(handle.db, fresh.api_key))?.id).toBe(created.id);
      const again = JSON.parse(
        (
          await wth(
            ["integrations", "rotate-key", "--id", created.id as string, "--revoke-old", "--json"],
            dataDir,
          )
        ).stdout,
      ) as { api_key: string; revoked: string[] };
      expect(again.revoked).toEqual([fresh.key_id]);
      expect(await findIntegrationByKey(handle.db, fresh.api_key)).toBeUndefined();
      expect((await findIntegrationByKey(handle.db, again.api_key))?.id).toBe(created.id);
    } finally {
      await handle.close();
    }
  });

  it("when rolling, then unknown, unreleased and older dates are refused and newer released ones pin the integration", async () => {
    const dataDir = await tempDir();
    const { handle } = databaseOf(dataDir);
    await migrateToLatest(handle.db);
    try {
      const deps = { db: handle.db, clock: systemClock, random: systemRandom };
      const { integration } = await createIntegration(deps, {
        name: "R",
        mode: "test",
        apiVersion: "2026-05-07",
      });
      const released = (v: string) =>
        v === "2026-05-07" || v === "2026-09-01" || v === "2025-01-01";
      await expect(
        rollIntegration(handle.db, integration.id, "2027-01-01", released),
      ).rejects.toThrow(IntegrationError);
      await expect(
        rollIntegration(handle.db, integration.id, "2025-01-01", released),
      ).rejects.toThrow(/roll back/);
      await expect(rollIntegration(handle.db, "int_nope", "2026-09-01", released)).rejects.toThrow(
        /no integration/,
      );
      const rolled = await rollIntegration(handle.db, integration.id, "2026-09-01", released);
      expect(rolled.api_version).toBe("2026-09-01");
    } finally {
      await handle.close();
    }
  });
});

interface Served {
  child: ChildProcess;
  port: () => Promise<number>;
  stdout: () => string;
  exited: Promise<number | null>;
}

function serve(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Served {
  const child = spawn(process.execPath, [WTH, "serve"], {
    env: { ...env(dataDir), ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c;
  });
  child.stderr?.on("data", () => {});
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const port = async (): Promise<number> => {
    for (let i = 0; i < 600; i++) {
      const m = /"msg":"listening"/.test(stdout) ? /"port":(\d+)/.exec(stdout) : null;
      if (m?.[1] !== undefined) return Number(m[1]);
      if (child.exitCode !== null) throw new Error(`server exited: ${stdout}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start: ${stdout}`);
  };
  return { child, port, stdout: () => stdout, exited };
}

describe("wth serve with a bad setting", () => {
  it.each([
    [
      "a malformed value",
      { WTH_RATE_LIMIT_BURST: "lots" },
      'wth serve: WTH_RATE_LIMIT_BURST must be an integer ≥ 1, got "lots"',
    ],
    [
      "an unknown WTH_ variable",
      { WTH_RATE_LIMT_BURST: "5" },
      "wth serve: WTH_RATE_LIMT_BURST is not a setting (did you mean WTH_RATE_LIMIT_BURST?); the settings are listed in docs/deploy.md",
    ],
  ])(
    "when started with %s, then it exits 1 with one line naming the variable and never listens",
    async (_, extra, line) => {
      const dataDir = await tempDir();

      const run = await wth(["serve"], dataDir, extra);

      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`${line}\n`);
      expect(run.stdout).not.toContain('"msg":"listening"');
    },
    60_000,
  );
});

describe("wth serve", () => {
  it("when started on an empty database, then it serves the API with a printed demo key, docs, and drains on SIGTERM", async () => {
    const dataDir = await tempDir();
    const first = serve(dataDir);
    const port = await first.port();
    const key = /API key, shown only this once: (wth_test_[0-9A-Za-z]{32})/.exec(
      first.stdout(),
    )?.[1];
    expect(key).toBeDefined();
    // The key is printed once on stdout for the operator, never inside a log line.
    const logLines = first
      .stdout()
      .split("\n")
      .filter((l) => l.startsWith("{"));
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(key);

    const base = `http://127.0.0.1:${port}`;
    const integration = await fetch(`${base}/v1/integration`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(integration.status).toBe(200);
    expect(await integration.json()).toMatchObject({
      name: "Demo integration",
      mode: "test",
      api_version: "2026-05-07",
    });
    const docs = await fetch(`${base}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toContain("text/html");
    const versionDocs = await fetch(`${base}/docs/2026-05-07`);
    expect(versionDocs.status).toBe(200);
    const guide = await fetch(`${base}/docs/guides/client.html`);
    expect(guide.status).toBe(200);
    expect(await guide.text()).toContain("<h1");
    expect((await fetch(`${base}/docs/guides/missing.html`)).status).toBe(404);

    // Requests in flight when SIGTERM arrives are answered; the process exits 0.
    const inFlight = Array.from({ length: 40 }, () =>
      fetch(`${base}/v1/listings?limit=20`, { headers: { authorization: `Bearer ${key}` } }).then(
        (r) => r.status,
        () => -1,
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    first.child.kill("SIGTERM");
    const statuses = await Promise.all(inFlight);
    expect(await first.exited).toBe(0);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 503 || s === -1)).toBe(true);
    expect(first.stdout()).toContain('"msg":"stopped"');

    // A second start on the same database keeps the data and prints no new key.
    const second = serve(dataDir);
    const port2 = await second.port();
    expect(second.stdout()).not.toContain("shown only this once");
    const again = await fetch(`http://127.0.0.1:${port2}/v1/integration`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(again.status).toBe(200);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("when started in production on an empty database, then no demo integration is created and no key is printed", async () => {
    const dataDir = await tempDir();
    const served = serve(dataDir, {
      NODE_ENV: "production",
      WTH_SECRET_KEY: "production-secret-production-secret-0123",
    });
    await served.port();
    expect(served.stdout()).not.toContain("shown only this once");
    expect(served.stdout()).not.toMatch(/wth_(test|live)_[0-9A-Za-z]{32}/);
    served.child.kill("SIGTERM");
    expect(await served.exited).toBe(0);
    const handle = databaseOf(dataDir).handle;
    const rows = await handle.db.selectFrom("integrations").select("id").execute();
    expect(rows).toEqual([]);
  });
});
