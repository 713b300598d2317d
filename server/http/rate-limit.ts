import type { RequestHandler } from "express";
import type { Clock, RateLimitSettings } from "../deps.ts";
import { integrationOf } from "./context.ts";
import { ApiError } from "./errors.ts";

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per integration, in this process's memory: a guard against runaway clients,
 * not a billing meter, so it need not be shared between instances.
 */
export function rateLimit(settings: RateLimitSettings, clock: Clock): RequestHandler {
  const buckets = new Map<string, Bucket>();
  return (_req, res, next) => {
    const id = integrationOf(res).id;
    const now = clock.now().getTime();
    const bucket = buckets.get(id) ?? { tokens: settings.burst, at: now };
    bucket.tokens = Math.min(
      settings.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * settings.perSecond,
    );
    bucket.at = now;
    buckets.set(id, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / settings.perSecond));
      throw new ApiError("rate_limited", "Too many requests; slow down.", undefined, {
        "Retry-After": String(retryAfter),
      });
    }
    bucket.tokens -= 1;
    next();
  };
}
