import type { RequestHandler, Response } from "express";
import type { Clock, RateLimitSettings } from "../deps.ts";
import { integrationOf } from "./context.ts";
import { ApiError } from "./errors.ts";
import { type BucketState, TokenBuckets } from "./token-bucket.ts";

/** The policy's name in `RateLimit` / `RateLimit-Policy` (IETF draft-ietf-httpapi-ratelimit-headers). */
export const RATE_LIMIT_POLICY = "integration";

/**
 * `RateLimit-Policy: "integration";q=<burst>;w=<seconds to refill the bucket>` and
 * `RateLimit: "integration";r=<requests left>;t=<seconds until the bucket is full>`.
 */
export function rateLimitHeaders(
  settings: RateLimitSettings,
  state: BucketState,
): Record<string, string> {
  const window = Math.max(1, Math.ceil(settings.burst / settings.perSecond));
  return {
    "RateLimit-Policy": `"${RATE_LIMIT_POLICY}";q=${settings.burst};w=${window}`,
    RateLimit: `"${RATE_LIMIT_POLICY}";r=${state.remaining};t=${state.resetSeconds}`,
  };
}

function setHeaders(res: Response, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/**
 * A token bucket per integration, in this process's memory: a guard against runaway clients,
 * not a billing meter, so it is not shared between instances (docs/deploy.md says so).
 * Every authenticated response carries the IETF RateLimit headers; a 429 adds Retry-After.
 */
export function rateLimit(settings: RateLimitSettings, clock: Clock): RequestHandler {
  const buckets = new TokenBuckets(settings);
  return (_req, res, next) => {
    const id = integrationOf(res).id;
    const state = buckets.take(id, clock.now().getTime());
    const headers = rateLimitHeaders(settings, state);
    if (!state.allowed) {
      throw new ApiError("rate_limited", "Too many requests; slow down.", undefined, {
        ...headers,
        "Retry-After": String(state.retryAfterSeconds),
      });
    }
    setHeaders(res, headers);
    next();
  };
}
