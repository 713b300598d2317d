/**
 * Token buckets keyed by a string (an integration id, a client address), in this process's
 * memory. A bucket holds at most `burst` tokens and refills at `perSecond`.
 */
export interface BucketSettings {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export interface BucketState {
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until one token is available, when none was. */
  retryAfterSeconds: number;
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly settings: BucketSettings,
    /** Buckets kept at most; a full bucket is the same as none, so those go first. */
    private readonly maxKeys = 100_000,
  ) {}

  #refilled(key: string, now: number): Bucket {
    const { burst, perSecond } = this.settings;
    const bucket = this.#buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    return bucket;
  }

  #state(bucket: Bucket): BucketState {
    const { burst, perSecond } = this.settings;
    return {
      remaining: Math.max(0, Math.floor(bucket.tokens)),
      resetSeconds: Math.max(0, Math.ceil((burst - bucket.tokens) / perSecond)),
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)),
    };
  }

  /** Whether `key` has a token, without taking it. */
  peek(key: string, now: number): { allowed: boolean } & BucketState {
    const bucket = this.#refilled(key, now);
    if (bucket.tokens >= this.settings.burst) this.#buckets.delete(key);
    return { allowed: bucket.tokens >= 1, ...this.#state(bucket) };
  }

  /** Takes one token from `key` when it has one. */
  take(key: string, now: number): { allowed: boolean } & BucketState {
    const bucket = this.#refilled(key, now);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#store(key, bucket, now);
    return { allowed, ...this.#state(bucket) };
  }

  #store(key: string, bucket: Bucket, now: number): void {
    if (!this.#buckets.has(key) && this.#buckets.size >= this.maxKeys) {
      for (const k of [...this.#buckets.keys()]) {
        if (this.#refilled(k, now).tokens >= this.settings.burst) this.#buckets.delete(k);
      }
      // Still full of busy keys: forget the oldest rather than grow without bound.
      if (this.#buckets.size >= this.maxKeys) {
        const oldest = this.#buckets.keys().next().value;
        if (oldest !== undefined) this.#buckets.delete(oldest);
      }
    }
    this.#buckets.set(key, bucket);
  }

  get size(): number {
    return this.#buckets.size;
  }
}
