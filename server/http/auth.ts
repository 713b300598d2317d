import type { RequestHandler } from "express";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { findIntegrationByKey } from "../integrations.ts";
import { setApiVersion } from "./context.ts";
import { ApiError } from "./errors.ts";

/**
 * `Authorization: Bearer <key>` → integration → pinned version. The key itself is never
 * stored on the request or logged; only the integration is.
 */
export function authenticate(db: Kysely<Database>): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === "") {
      throw new ApiError(
        "authentication_required",
        "No API key provided. Send it as 'Authorization: Bearer <key>'.",
      );
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m?.[1] === undefined) {
      throw new ApiError("invalid_api_key", "The Authorization header must be 'Bearer <key>'.");
    }
    const integration = await findIntegrationByKey(db, m[1]);
    if (integration === undefined) {
      throw new ApiError(
        "invalid_api_key",
        "The API key is not valid (unknown, malformed or revoked).",
      );
    }
    res.locals.integration = integration;
    setApiVersion(res, integration.api_version);
    next();
  };
}
