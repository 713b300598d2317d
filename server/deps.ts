/**
 * The edges the app depends on, injected so that tests can control time and randomness
 * without patching globals.
 */
import crypto from "node:crypto";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Database } from "./db/schema.ts";
import type { OutboxBell } from "./events/outbox-bell.ts";
import type { UsageRecorder } from "./usage/recorder.ts";
import type { VersionRegistry } from "./versions/registry.ts";

export interface Clock {
  now(): Date;
}

export interface Random {
  bytes(n: number): Buffer;
}

export const systemClock: Clock = { now: () => new Date() };
export const systemRandom: Random = { bytes: (n) => crypto.randomBytes(n) };

/**
 * Waiting, injectable like the clock: `set` calls `fire` after `ms` and returns the function that
 * cancels it. A test steps a loop's sleeps one by one with its own (test/webhooks/wake.test.ts).
 */
export interface Timers {
  set(ms: number, fire: () => void): () => void;
}

export const systemTimers: Timers = {
  set(ms, fire) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};

export interface RateLimitSettings {
  /** Tokens added per second per integration. */
  perSecond: number;
  /** Bucket size: the burst an integration may send at once. */
  burst: number;
}

export interface AppSettings {
  /** Validate requests against the pinned version's document (off only in benchmarks). */
  validateRequests: boolean;
  /** Validate our own responses; on whenever NODE_ENV is not production. */
  validateResponses: boolean;
  rateLimit: RateLimitSettings;
  /** Idempotency keys are kept at least this long. */
  idempotencyRetentionMs: number;
  /** An in-flight idempotency lock older than this is considered abandoned by a crashed process. */
  idempotencyLockTimeoutMs: number;
  /**
   * Requests without a valid key allowed per client address (default
   * DEFAULT_AUTH_FAILURE_LIMIT in server/http/auth.ts).
   */
  authFailureLimit?: RateLimitSettings;
  /** Express "trust proxy" hops: how many proxies' X-Forwarded-For entries name the client. */
  trustProxyHops?: number;
  /** Directory holding `<date>/docs/index.html` and `docs/index.html`, served at /docs. */
  generatedDir: string;
  /** How often usage counts are written (ms); 0 only on flush. Default 5000. */
  usageFlushMs?: number;
  /** WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1: webhook URLs on non-public addresses are accepted. */
  allowPrivateWebhookUrls?: boolean;
  /** Validate replayed webhook bodies against their version's document (default true). */
  checkWebhookBodies?: boolean;
}

export interface AppDeps {
  db: Kysely<Database>;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Signs cursors (and, for webhooks, encrypts endpoint secrets). Never logged. */
  secretKey: Buffer;
  versions: VersionRegistry;
  settings: AppSettings;
  /** Rung after each successful write request, for an in-process delivery worker. */
  outboxBell?: OutboxBell;
  /** Per-integration usage counts; createApp makes one when none is given. */
  usage?: UsageRecorder;
}
