/**
 * The one place the environment is read: `loadConfig` parses and validates every setting once at
 * start-up, and everything else receives the typed result. The settings are listed in
 * docs/deploy.md and the README's table.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { RateLimitSettings } from "./deps.ts";
import { parseRetrySchedule } from "./webhooks/retry-schedule.ts";
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from "./webhooks/settings.ts";

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Connections per process on PostgreSQL (`WTH_DATABASE_POOL_SIZE`); unused on SQLite. */
  databasePoolSize: number;
  nodeEnv: string;
  production: boolean;
  /** `WTH_SECRET_KEY`, when set (≥ 32 characters); loadSecretKey falls back to DATA_DIR. Never logged. */
  secretKey: string | undefined;
  rateLimit: RateLimitSettings;
  /** Requests without a valid key per client address (server/http/auth.ts). */
  authFailureLimit: RateLimitSettings;
  /** Proxies in front of the server whose X-Forwarded-For entry names the client. */
  trustProxyHops: number;
  logLevel: string;
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  shutdownGraceMs: number;
  /** The delivery worker's settings (WTH_WEBHOOK_*, WTH_ALLOW_PRIVATE_WEBHOOK_URLS). */
  webhooks: WebhookSettings;
  /** `WTH_WEBHOOK_WORKER=0` keeps the delivery worker out of the server process (`wth worker`). */
  embeddedWorker: boolean;
}

/** A setting is missing or wrong; the CLI prints its message alone, without a stack trace. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly userFacing = true;
}

/** Read by the server, `wth worker` and `wth integrations` (parsed below). */
const SERVER_VARIABLES = [
  "WTH_DATABASE_POOL_SIZE",
  "WTH_SECRET_KEY",
  "WTH_RATE_LIMIT_PER_SECOND",
  "WTH_RATE_LIMIT_BURST",
  "WTH_AUTH_FAILURES_PER_SECOND",
  "WTH_AUTH_FAILURES_BURST",
  "WTH_TRUST_PROXY",
  "WTH_SHUTDOWN_GRACE_MS",
  "WTH_ALLOW_PRIVATE_WEBHOOK_URLS",
  "WTH_WEBHOOK_WORKER",
  "WTH_WEBHOOK_RETRY_SCHEDULE",
  "WTH_WEBHOOK_JITTER_PERCENT",
  "WTH_WEBHOOK_TIMEOUT_MS",
  "WTH_WEBHOOK_LEASE_MS",
  "WTH_WEBHOOK_CONCURRENCY",
  "WTH_WEBHOOK_CONNECTIONS",
  "WTH_WEBHOOK_IN_FLIGHT_PER_ORIGIN",
  "WTH_WEBHOOK_POLL_MS",
  "WTH_WEBHOOK_IDLE_MAX_MS",
  "WTH_WEBHOOK_MAX_RESPONSE_BYTES",
] as const;

/**
 * Not the server's, but set in the same shells and CI jobs, so not typos either: the
 * integrator's side (`wth listen` / `wth trigger`, the getting-started receiver), the CLI's
 * stack traces (scripts/cli/main.ts) and the test and development tooling.
 */
const OTHER_VARIABLES = [
  "WTH_API_KEY",
  "WTH_BASE_URL",
  "WTH_WEBHOOK_SECRET",
  "WTH_DEBUG",
  "WTH_TEST_BACKEND",
  "WTH_TEST_DATABASE_URL",
  "WTH_TEST_GENERATED_DIR",
  "WTH_PROPERTY_SEED",
  "WTH_UPDATE_GOLDEN",
  "WTH_PG_DIR",
] as const;

/** Every `WTH_*` variable the toolkit knows; any other one stops start-up as a likely typo. */
export const KNOWN_WTH_VARIABLES: ReadonlySet<string> = new Set([
  ...SERVER_VARIABLES,
  ...OTHER_VARIABLES,
]);

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function set(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === "" ? undefined : raw;
}

function intFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = set(env, name);
  if (raw === undefined) return fallback;
  // Number("") and Number(" 1e3 ") are numbers too; only plain decimal digits are a setting.
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${name} must be an integer ${range}, got "${raw}"`);
  }
  return value;
}

function flagFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = set(env, name);
  if (raw === undefined) return fallback;
  if (raw !== "0" && raw !== "1") throw new ConfigError(`${name} must be 0 or 1, got "${raw}"`);
  return raw === "1";
}

/** `DATABASE_URL` selects PostgreSQL; anything else there is a typo worth stopping for. */
function databaseUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const raw = set(env, "DATABASE_URL");
  if (raw === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError(
      "DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use SQLite under DATA_DIR)",
    );
  }
  return raw;
}

/** Damerau-free edit distance, enough to suggest the setting a typo meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

function rejectUnknownVariables(env: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith("WTH_") || KNOWN_WTH_VARIABLES.has(name)) continue;
    const near = [...KNOWN_WTH_VARIABLES].find((known) => distance(name, known) <= 2);
    throw new ConfigError(
      `${name} is not a setting${near === undefined ? "" : ` (did you mean ${near}?)`}; the settings are listed in docs/deploy.md`,
    );
  }
}

function webhookSettingsFromEnv(env: NodeJS.ProcessEnv, production: boolean): WebhookSettings {
  const d = DEFAULT_WEBHOOK_SETTINGS;
  let scheduleMs = d.retry.scheduleMs;
  const schedule = set(env, "WTH_WEBHOOK_RETRY_SCHEDULE");
  if (schedule !== undefined) {
    try {
      scheduleMs = parseRetrySchedule(schedule);
    } catch (err) {
      throw new ConfigError(`WTH_WEBHOOK_RETRY_SCHEDULE: ${(err as Error).message}`);
    }
  }
  const jitterPercent = intFromEnv(env, "WTH_WEBHOOK_JITTER_PERCENT", d.retry.jitter * 100, 0, 100);
  // Node's timers cannot wait longer than 2^31 - 1 ms; a longer value would fire at once.
  const maxTimer = 2 ** 31 - 1;
  const timeoutMs = intFromEnv(env, "WTH_WEBHOOK_TIMEOUT_MS", d.timeoutMs, 1, maxTimer);
  const leaseMs = intFromEnv(
    env,
    "WTH_WEBHOOK_LEASE_MS",
    Math.max(d.leaseMs, timeoutMs * 2),
    1,
    maxTimer,
  );
  if (leaseMs <= timeoutMs) {
    throw new ConfigError(
      "WTH_WEBHOOK_LEASE_MS must exceed WTH_WEBHOOK_TIMEOUT_MS, or two workers could send one attempt",
    );
  }
  const pollMs = intFromEnv(env, "WTH_WEBHOOK_POLL_MS", d.pollMs, 1, maxTimer);
  const idleMaxMs = intFromEnv(
    env,
    "WTH_WEBHOOK_IDLE_MAX_MS",
    Math.max(d.idleMaxMs, pollMs),
    1,
    maxTimer,
  );
  if (idleMaxMs < pollMs) {
    throw new ConfigError("WTH_WEBHOOK_IDLE_MAX_MS must be ≥ WTH_WEBHOOK_POLL_MS");
  }
  const connectionsPerOrigin = intFromEnv(
    env,
    "WTH_WEBHOOK_CONNECTIONS",
    d.connectionsPerOrigin,
    1,
  );
  return {
    retry: { scheduleMs, jitter: jitterPercent / 100 },
    timeoutMs,
    maxResponseBytes: intFromEnv(env, "WTH_WEBHOOK_MAX_RESPONSE_BYTES", d.maxResponseBytes, 0),
    leaseMs,
    concurrency: intFromEnv(env, "WTH_WEBHOOK_CONCURRENCY", d.concurrency, 1),
    connectionsPerOrigin,
    inFlightPerOrigin: intFromEnv(
      env,
      "WTH_WEBHOOK_IN_FLIGHT_PER_ORIGIN",
      2 * connectionsPerOrigin,
      1,
    ),
    pollMs,
    idleMaxMs,
    allowPrivate: flagFromEnv(env, "WTH_ALLOW_PRIVATE_WEBHOOK_URLS", false),
    checkBodies: !production,
  };
}

/** Reads and validates every setting; the first problem is a ConfigError naming its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  rejectUnknownVariables(env);
  const nodeEnv = set(env, "NODE_ENV") ?? "development";
  const logLevel = set(env, "LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  }
  const secretKey = set(env, "WTH_SECRET_KEY");
  if (secretKey !== undefined && secretKey.length < 32) {
    throw new ConfigError("WTH_SECRET_KEY must be at least 32 characters");
  }
  return {
    port: intFromEnv(env, "PORT", 3000, 0, 65_535),
    host: set(env, "HOST") ?? "0.0.0.0",
    dataDir: path.resolve(set(env, "DATA_DIR") ?? "./data"),
    databaseUrl: databaseUrlFromEnv(env),
    databasePoolSize: intFromEnv(env, "WTH_DATABASE_POOL_SIZE", 10, 1),
    nodeEnv,
    production: nodeEnv === "production",
    secretKey,
    rateLimit: {
      perSecond: intFromEnv(env, "WTH_RATE_LIMIT_PER_SECOND", 100, 1),
      burst: intFromEnv(env, "WTH_RATE_LIMIT_BURST", 200, 1),
    },
    authFailureLimit: {
      perSecond: intFromEnv(env, "WTH_AUTH_FAILURES_PER_SECOND", 1, 1),
      burst: intFromEnv(env, "WTH_AUTH_FAILURES_BURST", 20, 1),
    },
    trustProxyHops: intFromEnv(env, "WTH_TRUST_PROXY", 0, 0),
    logLevel,
    shutdownGraceMs: intFromEnv(env, "WTH_SHUTDOWN_GRACE_MS", 10_000, 0),
    webhooks: webhookSettingsFromEnv(env, nodeEnv === "production"),
    embeddedWorker: flagFromEnv(env, "WTH_WEBHOOK_WORKER", true),
  };
}

/** The `wth` CLI's own settings: read once by scripts/cli/main.ts and passed to each command. */
export interface CliSettings {
  /** `WTH_DEBUG=1`: a failing command prints its stack trace after the one-line message. */
  debug: boolean;
  /** The integrator's side (`wth listen`, `wth trigger`): `WTH_API_KEY`, `WTH_BASE_URL`. */
  api: { key: string | undefined; baseUrl: string };
}

/**
 * Never throws: the CLI reads these before any command runs, and a command that needs the
 * server's settings still calls loadConfig, which reports what is wrong with them.
 */
export function loadCliSettings(env: NodeJS.ProcessEnv = process.env): CliSettings {
  return {
    debug: env.WTH_DEBUG === "1",
    api: {
      key: set(env, "WTH_API_KEY"),
      baseUrl: (set(env, "WTH_BASE_URL") ?? "http://localhost:3000").replace(/\/+$/, ""),
    },
  };
}

/**
 * The server secret (cursor sealing, webhook secret encryption). `WTH_SECRET_KEY` wins; in
 * production it is required; elsewhere one is generated once and kept in DATA_DIR (mode 0600)
 * so that cursors stay valid across restarts.
 */
export function loadSecretKey(config: ServerConfig): Buffer {
  if (config.secretKey !== undefined) return Buffer.from(config.secretKey, "utf8");
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
