/**
 * The Express app, without listening. The request pipeline, in order:
 *   request id + version headers → nosniff/no-store → HEAD routed as GET → access log
 *   → /docs, /console (public, CSP)
 *   → /v1: Location on 201 → failed-auth throttle per address → auth → usage count
 *     → rate limit per integration → JSON body → idempotent-response capture → validation (pinned
 *     version; a rejected request may still be an idempotent replay) → Idempotency-Key claim →
 *     resource routes (server/routes.ts)
 *   → not found → the one error handler.
 */
import express, { type Express, type RequestHandler } from "express";
import { consoleRoutes } from "./console/route.ts";
import type { AppDeps } from "./deps.ts";
import { docsRoutes } from "./docs/routes.ts";
import { authenticate } from "./http/auth.ts";
import { jsonBody } from "./http/body.ts";
import { requestContext, requestIdOf } from "./http/context.ts";
import { headAsGet, locationOnCreated, requestMethodOf } from "./http/conventions.ts";
import { ApiError, errorHandler } from "./http/errors.ts";
import {
  captureIdempotentResponse,
  claimIdempotencyKey,
  replayRejectedRequest,
} from "./http/idempotency.ts";
import { rateLimit } from "./http/rate-limit.ts";
import type { RouteModule } from "./http/route-module.ts";
import { apiSecurityHeaders } from "./http/security-headers.ts";
import { translateValidatorError, validationMiddleware } from "./http/validation.ts";
import { defaultRouteModules } from "./routes.ts";
import { countUsage } from "./usage/middleware.ts";
import { createUsageRecorder, type UsageRecorder } from "./usage/recorder.ts";
import { SecretBox } from "./webhooks/secret.ts";

export interface AppHandle {
  app: Express;
  /** Stop accepting work: later requests get 503 service_unavailable. */
  beginDrain(): void;
  /** Requests being handled right now. */
  inFlight(): number;
  /** Per-integration usage counts; stop() it on shutdown so the last counts are written. */
  usage: UsageRecorder;
}

function accessLog(deps: AppDeps, counter: { n: number }): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    counter.n++;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      counter.n--;
      const integration = res.locals.integration as { id: string } | undefined;
      deps.logger.info(
        {
          request_id: res.locals.requestId,
          method: requestMethodOf(req.method, res),
          // The path only: query strings may carry customer e-mail addresses.
          path: req.path,
          status: res.statusCode,
          duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
          integration: integration?.id,
          api_version: res.locals.apiVersion,
        },
        "request",
      );
    };
    res.on("finish", finish);
    res.on("close", finish);
    next();
  };
}

export function createApp(
  deps: AppDeps,
  modules: RouteModule[] = defaultRouteModules({
    allowPrivateWebhookUrls: deps.settings.allowPrivateWebhookUrls ?? false,
    checkWebhookBodies: deps.settings.checkWebhookBodies ?? true,
  }),
): AppHandle {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  if ((deps.settings.trustProxyHops ?? 0) > 0) app.set("trust proxy", deps.settings.trustProxyHops);

  let draining = false;
  const counter = { n: 0 };

  app.use(requestContext(deps.random, deps.versions.newest));
  app.use(apiSecurityHeaders());
  app.use(headAsGet());
  app.use(accessLog(deps, counter));
  app.use((_req, res, next) => {
    if (draining) {
      res.setHeader("Connection", "close");
      throw new ApiError("service_unavailable", "The server is shutting down; retry.");
    }
    next();
  });
  app.use(docsRoutes(deps.settings.generatedDir, deps.versions.newest));
  app.use(consoleRoutes());

  const usage =
    deps.usage ??
    createUsageRecorder({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      flushMs: deps.settings.usageFlushMs ?? 5000,
    });

  const idempotency = {
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    retentionMs: deps.settings.idempotencyRetentionMs,
    lockTimeoutMs: deps.settings.idempotencyLockTimeoutMs,
    box: new SecretBox(deps.secretKey, deps.random, "idempotent-response-encryption"),
  };
  const bell = deps.outboxBell;
  if (bell !== undefined) {
    // Every event is recorded in the transaction of a POST, PATCH or DELETE, committed before
    // its response is sent; a successful one may have recorded one, so the worker looks now.
    app.use("/v1", (req, res, next) => {
      if (req.method === "POST" || req.method === "PATCH" || req.method === "DELETE") {
        res.on("finish", () => {
          if (res.statusCode < 400) bell.ring();
        });
      }
      next();
    });
  }
  app.use(
    "/v1",
    locationOnCreated(deps.versions),
    authenticate(deps.db, deps.clock, deps.settings.authFailureLimit),
    countUsage(usage),
    rateLimit(deps.settings.rateLimit, deps.clock),
    ...jsonBody(),
    captureIdempotentResponse(idempotency),
    validationMiddleware(deps.versions, {
      validateRequests: deps.settings.validateRequests,
      validateResponses: deps.settings.validateResponses,
    }),
    replayRejectedRequest(idempotency),
    claimIdempotencyKey(idempotency),
  );

  const router = express.Router();
  for (const module of modules) module.register(router, { ...deps, usage });
  app.use(router);

  app.use((req) => {
    throw new ApiError("route_not_found", `No such route: ${req.method} ${req.path}`);
  });
  app.use(
    errorHandler({
      logger: deps.logger,
      requestIdOf: (req) => requestIdOf(req.res as express.Response),
      translateValidator: translateValidatorError,
    }),
  );

  return {
    app,
    beginDrain: () => {
      draining = true;
    },
    inFlight: () => counter.n,
    usage,
  };
}
