import { DEFAULT_RETRY_POLICY, parseRetrySchedule, type RetryPolicy } from "./retry-schedule.ts";
import { DEFAULT_SENDER_OPTIONS } from "./sender.ts";

/** Operator settings of the delivery worker (README lists the environment variables). */
export interface WebhookSettings {
  retry: RetryPolicy;
  /** Per-attempt deadline: connect, headers and body together. */
  timeoutMs: number;
  maxResponseBytes: number;
  /** How long a claim stays with a worker; a crashed worker's claims are taken over after it. */
  leaseMs: number;
  /** Attempts in flight per worker. */
  concurrency: number;
  connectionsPerOrigin: number;
  /** Polling period for new events and due retries while there is work. */
  pollMs: number;
  /**
   * While passes find nothing, the period doubles from pollMs up to this; a write in the same
   * process (OutboxBell) or new work brings it back to pollMs at once.
   */
  idleMaxMs: number;
  /** Loopback/private/link-local targets allowed (WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1). */
  allowPrivate: boolean;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  retry: DEFAULT_RETRY_POLICY,
  timeoutMs: DEFAULT_SENDER_OPTIONS.timeoutMs,
  maxResponseBytes: DEFAULT_SENDER_OPTIONS.maxResponseBytes,
  leaseMs: 60_000,
  concurrency: 256,
  connectionsPerOrigin: DEFAULT_SENDER_OPTIONS.connectionsPerOrigin,
  pollMs: 25,
  idleMaxMs: 1_000,
  allowPrivate: false,
};

export class WebhookSettingsError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new WebhookSettingsError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

export function loadWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const d = DEFAULT_WEBHOOK_SETTINGS;
  let scheduleMs = d.retry.scheduleMs;
  if (env.WTH_WEBHOOK_RETRY_SCHEDULE !== undefined && env.WTH_WEBHOOK_RETRY_SCHEDULE !== "") {
    try {
      scheduleMs = parseRetrySchedule(env.WTH_WEBHOOK_RETRY_SCHEDULE);
    } catch (err) {
      throw new WebhookSettingsError(`WTH_WEBHOOK_RETRY_SCHEDULE: ${(err as Error).message}`);
    }
  }
  const jitterPercent = intFrom(env, "WTH_WEBHOOK_JITTER_PERCENT", d.retry.jitter * 100, 0);
  if (jitterPercent > 100)
    throw new WebhookSettingsError("WTH_WEBHOOK_JITTER_PERCENT must be ≤ 100");
  const timeoutMs = intFrom(env, "WTH_WEBHOOK_TIMEOUT_MS", d.timeoutMs, 1);
  const leaseMs = intFrom(env, "WTH_WEBHOOK_LEASE_MS", Math.max(d.leaseMs, timeoutMs * 2), 1);
  if (leaseMs <= timeoutMs) {
    throw new WebhookSettingsError(
      "WTH_WEBHOOK_LEASE_MS must exceed WTH_WEBHOOK_TIMEOUT_MS, or two workers could send one attempt",
    );
  }
  const pollMs = intFrom(env, "WTH_WEBHOOK_POLL_MS", d.pollMs, 1);
  const idleMaxMs = intFrom(env, "WTH_WEBHOOK_IDLE_MAX_MS", Math.max(d.idleMaxMs, pollMs), 1);
  if (idleMaxMs < pollMs) {
    throw new WebhookSettingsError("WTH_WEBHOOK_IDLE_MAX_MS must be ≥ WTH_WEBHOOK_POLL_MS");
  }
  return {
    retry: { scheduleMs, jitter: jitterPercent / 100 },
    timeoutMs,
    maxResponseBytes: intFrom(env, "WTH_WEBHOOK_MAX_RESPONSE_BYTES", d.maxResponseBytes, 0),
    leaseMs,
    concurrency: intFrom(env, "WTH_WEBHOOK_CONCURRENCY", d.concurrency, 1),
    connectionsPerOrigin: intFrom(env, "WTH_WEBHOOK_CONNECTIONS", d.connectionsPerOrigin, 1),
    pollMs,
    idleMaxMs,
    allowPrivate: env.WTH_ALLOW_PRIVATE_WEBHOOK_URLS === "1",
  };
}
