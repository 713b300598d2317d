/**
 * The key the per-origin limits share: scheme, host and port, as the sender pools connections
 * (`URL.origin`, so `https://a.example` and `https://a.example:443` are one origin). A URL that
 * does not parse gets "", one origin of its own; the sender refuses it without connecting.
 */
const CACHE_MAX = 1_000;
const cache = new Map<string, string>();

export function originOf(url: string): string {
  let origin = cache.get(url);
  if (origin === undefined) {
    try {
      origin = new URL(url).origin;
    } catch {
      origin = "";
    }
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(url, origin);
  }
  return origin;
}

/**
 * Attempts in flight per origin, and the limit on them: what a claim may still add. Counts are
 * the caller's (a worker's own attempts), copied into the pass as plain values.
 */
export interface OriginRoom {
  /** Attempts in flight per origin at most (`WTH_WEBHOOK_IN_FLIGHT_PER_ORIGIN`). */
  limit: number;
  /** [origin, attempts in flight or already taken] for every origin with any. */
  inFlight: ReadonlyArray<readonly [string, number]>;
}

/** A running tally of one pass: the worker's counts plus what the pass has taken so far. */
export class OriginTally {
  readonly #limit: number;
  readonly #counts: Map<string, number>;

  constructor(room: OriginRoom | undefined) {
    this.#limit = room?.limit ?? Number.POSITIVE_INFINITY;
    this.#counts = new Map(room?.inFlight ?? []);
  }

  /** Counts one more attempt to `url`'s origin if it has room; false (nothing counted) if not. */
  take(url: string): boolean {
    const origin = originOf(url);
    const n = this.#counts.get(origin) ?? 0;
    if (n >= this.#limit) return false;
    this.#counts.set(origin, n + 1);
    return true;
  }
}
