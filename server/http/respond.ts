import type { Request, Response } from "express";
import { type JsonObject, renderForVersion, upgradeRequest } from "../versions/index.ts";
import { apiVersionOf, operationOf } from "./context.ts";
import type { Page } from "./pagination.ts";

/** Sends a newest-version object rendered for the integration's pinned version. */
export function sendObject(
  res: Response,
  status: number,
  schemaName: string,
  object: JsonObject,
): void {
  res.status(status).json(renderForVersion(apiVersionOf(res), schemaName, object));
}

export function sendPage(res: Response, schemaName: string, page: Page<JsonObject>): void {
  const version = apiVersionOf(res);
  res
    .status(200)
    .json({ ...page, data: page.data.map((o) => renderForVersion(version, schemaName, o)) });
}

/** The request body upgraded from the pinned version to the newest shape. */
export function bodyOf(req: Request, res: Response): JsonObject {
  const body = (req.body ?? {}) as JsonObject;
  const operationId = operationOf(res)?.operationId ?? `${req.method} ${req.path}`;
  return upgradeRequest(apiVersionOf(res), operationId, body);
}

/** The validated query as a plain record. */
export function queryOf(req: Request): Record<string, unknown> {
  return req.query as Record<string, unknown>;
}
