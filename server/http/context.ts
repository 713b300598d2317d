/**
 * What the middleware chain learns about a request, kept on `res.locals` under typed accessors.
 */
import type { Request, RequestHandler, Response } from "express";
import type { Random } from "../deps.ts";
import { base62 } from "../ids.ts";
import type { Integration } from "../integrations.ts";
import type { MatchedOperation } from "./validation.ts";

export function requestIdOf(res: Response): string {
  return res.locals.requestId as string;
}

export function apiVersionOf(res: Response): string {
  return res.locals.apiVersion as string;
}

export function integrationOf(res: Response): Integration {
  const integration = res.locals.integration as Integration | undefined;
  if (integration === undefined) throw new Error("integrationOf called before auth");
  return integration;
}

export function operationOf(res: Response): MatchedOperation | undefined {
  return res.locals.operation as MatchedOperation | undefined;
}

/** Sets the version the response is rendered in, and says so in `X-API-Version`. */
export function setApiVersion(res: Response, version: string): void {
  res.locals.apiVersion = version;
  res.setHeader("X-API-Version", version);
}

/**
 * Gives every request an id and every response `Request-Id` and `X-API-Version` (the newest
 * version until auth knows the pinned one). A client's own `X-API-Version` header is ignored.
 */
export function requestContext(random: Random, newestVersion: string): RequestHandler {
  return (_req: Request, res, next) => {
    const requestId = `req_${base62(random, 24)}`;
    res.locals.requestId = requestId;
    res.setHeader("Request-Id", requestId);
    setApiVersion(res, newestVersion);
    next();
  };
}
