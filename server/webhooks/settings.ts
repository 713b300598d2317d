import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-schedule.ts";
import { DEFAULT_SENDER_OPTIONS } from "./sender.ts";

/** Operator settings of the delivery worker; server/config.ts reads them from the environment. */
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
  /**
   * Attempts in flight per origin (scheme, host, port) per worker: a claim skips the deliveries
   * of an origin at this, so one that never answers cannot take every slot. Twice the connections
   * by default, so that an origin's next attempts are ready while its connections are busy.
   */
  inFlightPerOrigin: number;
  /** Polling period for new events and due retries while there is work. */
  pollMs: number;
  /**
   * While passes find nothing, the period doubles from pollMs up to this; a write in the same
   * process (OutboxBell) or new work brings it back to pollMs at once.
   */
  idleMaxMs: number;
  /** Loopback/private/link-local targets allowed (WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1). */
  allowPrivate: boolean;
  /**
   * Validate each rendered body against its pinned version's document before it is stored
   * (server/versions/webhook-check.ts): outside production (NODE_ENV), like response validation.
   */
  checkBodies: boolean;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  retry: DEFAULT_RETRY_POLICY,
  timeoutMs: DEFAULT_SENDER_OPTIONS.timeoutMs,
  maxResponseBytes: DEFAULT_SENDER_OPTIONS.maxResponseBytes,
  leaseMs: 60_000,
  concurrency: 256,
  connectionsPerOrigin: DEFAULT_SENDER_OPTIONS.connectionsPerOrigin,
  inFlightPerOrigin: 2 * DEFAULT_SENDER_OPTIONS.connectionsPerOrigin,
  pollMs: 25,
  idleMaxMs: 1_000,
  allowPrivate: false,
  checkBodies: true,
};
