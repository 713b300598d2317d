/**
 * Operator settings, all from the environment (the README lists them in one table).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { RateLimitSettings } from "./deps.ts";

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Connections per process on PostgreSQL (`WTH_DATABASE_POOL_SIZE`); unused on SQLite. */
  databasePoolSize: number;
  nodeEnv: string;
  production: boolean;
  rateLimit: RateLimitSettings;
  /** Requests without a valid key per client address (server/http/auth.ts). */
  authFailureLimit: RateLimitSettings;
  /** Proxies in front of the server whose X-Forwarded-For entry names the client. */
  trustProxyHops: number;
  logLevel: string;
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  shutdownGraceMs: number;
}

/** A setting is missing or wrong; the CLI prints its message alone, without a stack trace. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly userFacing = true;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

/** `DATABASE_URL` selects PostgreSQL; anything else there is a typo worth stopping for. */
function databaseUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === "") return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError(
      "DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use SQLite under DATA_DIR)",
    );
  }
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const nodeEnv = env.NODE_ENV ?? "development";
  return {
    port: intFromEnv(env, "PORT", 3000, 0),
    host: env.HOST ?? "0.0.0.0",
    dataDir: path.resolve(env.DATA_DIR ?? "./data"),
    databaseUrl: databaseUrlFromEnv(env),
    databasePoolSize: intFromEnv(env, "WTH_DATABASE_POOL_SIZE", 10, 1),
    nodeEnv,
    production: nodeEnv === "production",
    rateLimit: {
      perSecond: intFromEnv(env, "WTH_RATE_LIMIT_PER_SECOND", 100, 1),
      burst: intFromEnv(env, "WTH_RATE_LIMIT_BURST", 200, 1),
    },
    authFailureLimit: {
      perSecond: intFromEnv(env, "WTH_AUTH_FAILURES_PER_SECOND", 1, 1),
      burst: intFromEnv(env, "WTH_AUTH_FAILURES_BURST", 20, 1),
    },
    trustProxyHops: intFromEnv(env, "WTH_TRUST_PROXY", 0, 0),
    logLevel: env.LOG_LEVEL ?? "info",
    shutdownGraceMs: intFromEnv(env, "WTH_SHUTDOWN_GRACE_MS", 10_000, 0),
  };
}

/**
 * The server secret (cursor sealing, webhook secret encryption). `WTH_SECRET_KEY` wins; in
 * production it is required; elsewhere one is generated once and kept in DATA_DIR (mode 0600)
 * so that cursors stay valid across restarts.
 */
export function loadSecretKey(config: ServerConfig, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.WTH_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv !== "") {
    if (fromEnv.length < 32) throw new ConfigError("WTH_SECRET_KEY must be at least 32 characters");
    return Buffer.from(fromEnv, "utf8");
  }
  if (config.production) {
    throw new ConfigError("WTH_SECRET_KEY is required when NODE_ENV=production");
  }
  const file = path.join(config.dataDir, "secret.key");
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const secret = crypto.randomBytes(32).toString("base64url");
  try {
    // "wx": two processes starting at once must not overwrite each other's secret.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return Buffer.from(secret, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "utf8");
  }
}
