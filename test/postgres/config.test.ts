/**
 * Operator configuration for deployments: what the environment must say, and how a mistake is
 * reported. Backend-independent (nothing here opens a database), so it runs the same in both passes.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadSecretKey } from "../../server/config.ts";
import { spawnWth, type WthProcess } from "../webhooks/processes.ts";

const dirs: string[] = [];
const procs: WthProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) {
    p.kill("SIGKILL");
    await p.exited;
  }
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-config-"));
  dirs.push(dir);
  return dir;
}

describe("operator configuration", () => {
  it.each([
    ["DATABASE_URL is not a PostgreSQL URL", { DATABASE_URL: "mysql://db/wth" }, /DATABASE_URL/],
    ["the pool size is zero", { WTH_DATABASE_POOL_SIZE: "0" }, /WTH_DATABASE_POOL_SIZE/],
    ["the pool size is not a number", { WTH_DATABASE_POOL_SIZE: "ten" }, /WTH_DATABASE_POOL_SIZE/],
  ])("when %s, then loading the config fails naming the variable", (_, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("when DATABASE_URL and a pool size are set, then the config carries them", () => {
    const config = loadConfig({
      DATABASE_URL: "postgresql://wth:pw@db.internal:5432/wth",
      WTH_DATABASE_POOL_SIZE: "25",
    });
    expect(config.databaseUrl).toBe("postgresql://wth:pw@db.internal:5432/wth");
    expect(config.databasePoolSize).toBe(25);
    expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
    expect(loadConfig({}).databasePoolSize).toBe(10);
  });

  it("when NODE_ENV=production and WTH_SECRET_KEY is unset, then loading the secret fails naming it, and no secret file is written", async () => {
    const dataDir = await tempDir();
    const env = { NODE_ENV: "production", DATA_DIR: dataDir };
    expect(() => loadSecretKey(loadConfig(env))).toThrow(/WTH_SECRET_KEY/);
    expect(await fs.readdir(dataDir)).toEqual([]);
    const short = { ...env, WTH_SECRET_KEY: "too-short" };
    expect(() => loadConfig(short)).toThrow(/WTH_SECRET_KEY.*32/);
  });

  it("when `wth serve` starts with NODE_ENV=production and no WTH_SECRET_KEY, then it exits 1 naming the variable and never listens", async () => {
    const dataDir = await tempDir();
    const proc = spawnWth(["serve"], {
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      WTH_SECRET_KEY: "",
      PORT: "0",
      HOST: "127.0.0.1",
    });
    procs.push(proc);
    expect(await proc.exited).toBe(1);
    expect(proc.lines.join("\n")).toContain("WTH_SECRET_KEY is required when NODE_ENV=production");
    expect(proc.lines.some((l) => l.includes('"msg":"listening"'))).toBe(false);
    expect(proc.lines.some((l) => /^\s+at /.test(l))).toBe(false); // no stack trace
  }, 60_000);
});
