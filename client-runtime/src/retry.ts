/**
 * When to retry and how long to wait. Pure functions, so the policy is tested without a network.
 *
 * Retried: network failures and timeouts, 409 `idempotency_key_in_use` (the first request with
 * that key is still running), 429 and every 5xx. Nothing else: a 400 sent again fails again.
 * Every POST carries an Idempotency-Key, so a retried POST never acts twice.
 */

/** First backoff step; doubled per retry. */
export const BASE_DELAY_MS = 500;
/** Backoff never grows beyond this. */
export const MAX_DELAY_MS = 8_000;
/** A `Retry-After` longer than this is not waited for; the response is returned instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Whether a response with this status (and, for 409, this error code) is worth sending again. */
export function isRetriableStatus(status: number, errorCode: string | undefined): boolean {
  if (status === 409) return errorCode === "idempotency_key_in_use";
  return status === 429 || status >= 500;
}

/**
 * Parses `Retry-After` (delay in seconds, or an HTTP date) into milliseconds from `nowMs`.
 * Returns undefined when absent or unreadable, so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Exponential backoff with "equal jitter": half of the step is fixed, half random, so clients
 * that failed together do not retry together, yet each still waits a sensible minimum.
 * `retry` counts from 0; `random` returns a number in [0, 1).
 */
export function backoffDelay(retry: number, random: () => number): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return Math.round(step / 2 + random() * (step / 2));
}
