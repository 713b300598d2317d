import { type RandomSource, randomUnit } from "./clock.ts";

/**
 * The delay before each attempt, in milliseconds; entry 0 is the first attempt (immediately).
 * The default is the Standard Webhooks schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 14 h, 20 h, 24 h — ten attempts, then the delivery is a dead letter.
 */
export const STANDARD_RETRY_SCHEDULE_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
];

/** A `Retry-After` longer than this is clamped: a receiver cannot park a delivery for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

export interface RetryPolicy {
  scheduleMs: readonly number[];
  /** Each delay is spread uniformly over ±jitter of itself (0.2 → 80 %–120 %). */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  scheduleMs: STANDARD_RETRY_SCHEDULE_MS,
  jitter: 0.2,
};

/** Parses `WTH_WEBHOOK_RETRY_SCHEDULE`, comma-separated seconds such as `0,5,300`. */
export function parseRetrySchedule(text: string): number[] {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === "")) {
    throw new Error(`retry schedule "${text}" must be comma-separated seconds, e.g. 0,5,300`);
  }
  return parts.map((p) => {
    const seconds = Number(p);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new Error(`retry schedule entry "${p}" is not a non-negative number of seconds`);
    }
    return Math.round(seconds * 1000);
  });
}

export type RetryDecision = { kind: "retry"; delayMs: number } | { kind: "dead_letter" };

/**
 * What happens after attempt number `attemptsMade` (1-based) failed. `retryAfterMs`, from a 429
 * or 503, replaces the scheduled delay when present (the receiver knows its own recovery time)
 * but never extends the number of attempts.
 */
export function nextRetry(
  policy: RetryPolicy,
  attemptsMade: number,
  random: RandomSource,
  retryAfterMs?: number | null,
): RetryDecision {
  const scheduled = policy.scheduleMs[attemptsMade];
  if (scheduled === undefined) return { kind: "dead_letter" };
  if (retryAfterMs !== undefined && retryAfterMs !== null) {
    return { kind: "retry", delayMs: Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS) };
  }
  return { kind: "retry", delayMs: withJitter(scheduled, policy.jitter, random) };
}

export function withJitter(delayMs: number, jitter: number, random: RandomSource): number {
  if (delayMs === 0 || jitter === 0) return delayMs;
  const factor = 1 - jitter + 2 * jitter * randomUnit(random);
  return Math.round(delayMs * factor);
}

/**
 * `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns the delay in
 * milliseconds from `now`, or null when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
