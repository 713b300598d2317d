import type { RequestHandler } from "express";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { findApiKey } from "../integrations.ts";
import { setApiVersion } from "./context.ts";
import { ApiError } from "./errors.ts";

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
export function authenticate(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === "") {
      throw new ApiError(
        "authentication_required",
        "No API key provided. Send it as 'Authorization: Bearer <key>' (or curl -u <key>:).",
      );
    }
    const key = apiKeyOf(header);
    if (key === undefined) {
      throw new ApiError(
        "invalid_api_key",
        "The Authorization header must be 'Bearer <key>', or Basic with the key as the user name and an empty password.",
      );
    }
    const found = await findApiKey(db, key);
    if (found === undefined) {
      throw new ApiError(
        "invalid_api_key",
        "The API key is not valid (unknown, malformed or revoked).",
      );
    }
    res.locals.integration = found.integration;
    res.locals.apiKeyId = found.keyId;
    setApiVersion(res, found.integration.api_version);
    next();
  };
}
