/**
 * `Idempotency-Key` on POST. The first request with a key claims it in the database (so the
 * claim holds across processes); its response is stored before it is sent, and the same key
 * with the same request later replays it with `Idempotent-Replayed: true`. The same key with a
 * different request is `idempotency_key_reused`; while the first is still running, a second is
 * `idempotency_key_in_use`. A 5xx releases the key so that the client may retry safely (except
 * one answered after its write committed, which is kept: see storeThenSend).
 * Stored responses are sealed: some carry a secret shown once (a webhook endpoint's `whsec_`),
 * and a database dump alone must not reveal it.
 */
import crypto from "node:crypto";
import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../deps.ts";
import type { SecretBox } from "../webhooks/secret.ts";
import { integrationOf } from "./context.ts";
import { ApiError } from "./errors.ts";

interface Claim {
  integrationId: string;
  key: string;
}

export interface IdempotencyOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  retentionMs: number;
  lockTimeoutMs: number;
  /** Seals stored response bodies, bound to the integration and key. */
  box: SecretBox;
}

function sealedFor(claim: Claim): string {
  return `idempotency:${claim.integrationId}:${claim.key}`;
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return crypto
    .createHash("sha256")
    .update(`${method} ${path}\n${canonical(body ?? null)}`)
    .digest("hex");
}

function claimOf(res: Response): Claim | undefined {
  return res.locals.idempotencyClaim as Claim | undefined;
}

/**
 * Installed before the validator, so that the response the validator has checked is the one
 * stored. It does nothing unless `claimIdempotencyKey` claimed a key for this request.
 */
export function captureIdempotentResponse(opts: IdempotencyOptions): RequestHandler {
  return (req, res, next) => {
    // Hashed before validation: the validator fills in defaults, and the hash is of what was sent.
    if (req.method === "POST" && req.headers["idempotency-key"] !== undefined) {
      res.locals.idempotencyHash = requestHash(
        req.method,
        req.originalUrl.split("?")[0] ?? "",
        req.body,
      );
    }
    const original = res.json;
    res.json = function storeThenSend(body: unknown) {
      res.json = original;
      const claim = claimOf(res);
      if (claim === undefined) return original.call(res, body);
      const status = res.statusCode;
      const where = opts.db
        .updateTable("idempotency_keys")
        .where("integration_id", "=", claim.integrationId)
        .where("key", "=", claim.key);
      // A 5xx releases the key so that the retry may do the work, unless the write was committed
      // before the failure (a conversion after commit): then the error is kept and replayed, so
      // a retry cannot repeat the write.
      const store =
        status >= 500 && res.locals.writeCommitted !== true
          ? opts.db
              .deleteFrom("idempotency_keys")
              .where("integration_id", "=", claim.integrationId)
              .where("key", "=", claim.key)
              .execute()
          : where
              .set({
                state: "completed",
                response_status: status,
                response_body: opts.box.seal(JSON.stringify(body), sealedFor(claim)),
                api_version: (res.locals.apiVersion as string | undefined) ?? null,
              })
              .execute();
      store.then(
        () => original.call(res, body),
        (err: unknown) => {
          opts.logger.error(
            { err, request_id: res.locals.requestId },
            "storing an idempotent response failed",
          );
          original.call(res, body);
        },
      );
      return res;
    };
    next();
  };
}

type StoredResponse = Pick<
  Database["idempotency_keys"],
  "response_status" | "response_body" | "api_version"
>;

function keyOf(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/**
 * A replay re-sends the stored bytes, labelled with the version they were rendered in, even
 * after the integration was rolled to another version since (docs/versioning.md, "Replays and
 * retries across a roll").
 */
function sendReplay(res: Response, stored: StoredResponse, box: SecretBox, claim: Claim): void {
  res.setHeader("Idempotent-Replayed", "true");
  if (stored.api_version !== null) res.setHeader("X-API-Version", stored.api_version);
  res
    .status(stored.response_status ?? 200)
    .type("application/json")
    .send(
      stored.response_body === null ? "null" : box.open(stored.response_body, sealedFor(claim)),
    );
}

/**
 * Installed right after validation, for the requests it rejects: one the pinned version now
 * refuses (a field that became required since a roll) may be the replay of one it accepted
 * before, and then the stored response is the answer, as for any replay. Only rejected requests
 * pay for the look-up; accepted ones find their replay when they claim the key.
 */
export function replayRejectedRequest(opts: IdempotencyOptions): ErrorRequestHandler {
  return async (err: unknown, req, res, next) => {
    // Set by captureIdempotentResponse, so the error came from validation, after authentication.
    const hash = res.locals.idempotencyHash as string | undefined;
    const key = keyOf(req.headers["idempotency-key"]);
    if (hash === undefined || key === undefined || key.length < 1 || key.length > 255) {
      next(err);
      return;
    }
    try {
      const integrationId = integrationOf(res).id;
      const stored = await opts.db
        .selectFrom("idempotency_keys")
        .select(["response_status", "response_body", "api_version", "created_at"])
        .where("integration_id", "=", integrationId)
        .where("key", "=", key)
        .where("state", "=", "completed")
        .where("request_hash", "=", hash)
        .executeTakeFirst();
      const fresh =
        stored !== undefined &&
        opts.clock.now().getTime() - Date.parse(stored.created_at) <= opts.retentionMs;
      if (!fresh) {
        next(err);
        return;
      }
      sendReplay(res, stored, opts.box, { integrationId, key });
    } catch (lookup) {
      opts.logger.error(
        { err: lookup, request_id: res.locals.requestId },
        "looking up an idempotent replay failed",
      );
      next(err);
    }
  };
}

/** Installed after validation: claims the key, or replays / refuses. */
export function claimIdempotencyKey(opts: IdempotencyOptions): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers["idempotency-key"];
    if (req.method !== "POST" || header === undefined) {
      next();
      return;
    }
    const key = keyOf(header) ?? "";
    if (key.length < 1 || key.length > 255) {
      throw new ApiError(
        "parameter_invalid",
        "Idempotency-Key must be 1–255 characters.",
        "Idempotency-Key",
      );
    }
    const integrationId = integrationOf(res).id;
    const hash =
      (res.locals.idempotencyHash as string | undefined) ??
      requestHash(req.method, req.originalUrl.split("?")[0] ?? "", req.body);
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = opts.clock.now();
      const inserted = await opts.db
        .insertInto("idempotency_keys")
        .values({
          integration_id: integrationId,
          key,
          request_hash: hash,
          state: "in_flight",
          response_status: null,
          response_body: null,
          locked_at: now.toISOString(),
          created_at: now.toISOString(),
        })
        .onConflict((oc) => oc.columns(["integration_id", "key"]).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) {
        res.locals.idempotencyClaim = { integrationId, key } satisfies Claim;
        next();
        return;
      }
      const existing = await opts.db
        .selectFrom("idempotency_keys")
        .selectAll()
        .where("integration_id", "=", integrationId)
        .where("key", "=", key)
        .executeTakeFirst();
      if (existing === undefined) continue; // released or purged meanwhile: claim again
      if (now.getTime() - Date.parse(existing.created_at) > opts.retentionMs) {
        await opts.db
          .deleteFrom("idempotency_keys")
          .where("integration_id", "=", integrationId)
          .where("key", "=", key)
          .where("created_at", "=", existing.created_at)
          .execute();
        continue;
      }
      if (existing.request_hash !== hash) {
        throw new ApiError(
          "idempotency_key_reused",
          "This Idempotency-Key was already used with a different request.",
          "Idempotency-Key",
        );
      }
      if (existing.state === "completed") {
        sendReplay(res, existing, opts.box, { integrationId, key });
        return;
      }
      if (now.getTime() - Date.parse(existing.locked_at) > opts.lockTimeoutMs) {
        // The process that claimed it died mid-request: take the claim over, atomically.
        const taken = await opts.db
          .updateTable("idempotency_keys")
          .set({ locked_at: now.toISOString() })
          .where("integration_id", "=", integrationId)
          .where("key", "=", key)
          .where("state", "=", "in_flight")
          .where("locked_at", "=", existing.locked_at)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 1) {
          res.locals.idempotencyClaim = { integrationId, key } satisfies Claim;
          next();
          return;
        }
        continue;
      }
      throw new ApiError(
        "idempotency_key_in_use",
        "A request with this Idempotency-Key is still in progress; retry later.",
        "Idempotency-Key",
      );
    }
    throw new ApiError(
      "idempotency_key_in_use",
      "This Idempotency-Key is contended; retry later.",
      "Idempotency-Key",
    );
  };
}

/** Deletes keys past retention; run periodically. */
export async function purgeIdempotencyKeys(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom("idempotency_keys")
    .where("created_at", "<", before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
