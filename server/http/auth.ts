import type { Request, RequestHandler } from "express";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../deps.ts";
import { findApiKey } from "../integrations.ts";
import { setApiVersion } from "./context.ts";
import { ApiError } from "./errors.ts";
import { type BucketSettings, TokenBuckets } from "./token-bucket.ts";

/**
 * Requests without a valid key, per client address: `burst` at once, then `perSecond`. Past
 * that, an address gets 429 rate_limited before its key is even looked up, so guessing keys or
 * hammering without one costs no database work.
 */
export const DEFAULT_AUTH_FAILURE_LIMIT: BucketSettings = { perSecond: 1, burst: 20 };

function clientAddress(req: Request): string {
  // req.ip honours the app's "trust proxy" setting (WTH_TRUST_PROXY); the socket is the fallback.
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

/**
 * The key from `Bearer <key>`, or from `Basic base64(<key>:)` (the key as the user name and an
 * empty password, as `curl -u KEY:` sends it), or undefined when the header is neither.
 */
export function apiKeyOf(header: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer?.[1] !== undefined) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (basic?.[1] === undefined) return undefined;
  const decoded = Buffer.from(basic[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  // A password would be a second secret we do not check; refuse it rather than ignore it.
  if (colon < 1 || colon !== decoded.length - 1) return undefined;
  return decoded.slice(0, colon);
}

/**
 * `Authorization: Bearer <key>` (or Basic with the key as user name) → integration → pinned
 * version. The key itself is never stored on the request or logged; only the integration is.
 */
export function authenticate(
  db: Kysely<Database>,
  clock: Clock,
  failureLimit: BucketSettings = DEFAULT_AUTH_FAILURE_LIMIT,
): RequestHandler {
  const failures = new TokenBuckets(failureLimit);
  const refuse = (req: Request, error: ApiError): never => {
    failures.take(clientAddress(req), clock.now().getTime());
    throw error;
  };
  return async (req, res, next) => {
    const address = clientAddress(req);
    const standing = failures.peek(address, clock.now().getTime());
    if (!standing.allowed) {
      throw new ApiError(
        "rate_limited",
        "Too many requests without a valid API key from this address; wait Retry-After seconds.",
        undefined,
        { "Retry-After": String(standing.retryAfterSeconds) },
      );
    }
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === "") {
      refuse(
        req,
        new ApiError(
          "authentication_required",
          "No API key provided. Send it as 'Authorization: Bearer <key>' (or curl -u <key>:).",
        ),
      );
    }
    const key = apiKeyOf(header ?? "");
    if (key === undefined) {
      refuse(
        req,
        new ApiError(
          "invalid_api_key",
          "The Authorization header must be 'Bearer <key>', or Basic with the key as the user name and an empty password.",
        ),
      );
      return;
    }
    const found = await findApiKey(db, key);
    if (found === undefined) {
      refuse(
        req,
        new ApiError(
          "invalid_api_key",
          "The API key is not valid (unknown, malformed or revoked).",
        ),
      );
      return;
    }
    res.locals.integration = found.integration;
    res.locals.apiKeyId = found.keyId;
    setApiVersion(res, found.integration.api_version);
    next();
  };
}
