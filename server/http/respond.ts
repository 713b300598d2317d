import type { Request, Response } from "express";
import type { SchemaName } from "../../generated/newest.ts";
import { type JsonObject, upgradeRequest } from "../versions/index.ts";
import { apiVersionOf, operationOf } from "./context.ts";
import type { Page } from "./pagination.ts";
import { renderObject } from "./render.ts";

/** Sends a newest-version object of schema `schemaName`, rendered for the pinned version. */
export function sendObject(
  res: Response,
  status: number,
  schemaName: SchemaName,
  object: unknown,
): void {
  res.status(status).json(renderObject(apiVersionOf(res), schemaName, object));
}

/** Sends a page of newest-version objects of schema `schemaName`, each rendered for the pinned version. */
export function sendPage(res: Response, schemaName: SchemaName, page: Page<unknown>): void {
  const version = apiVersionOf(res);
  res
    .status(200)
    .json({ ...page, data: page.data.map((o) => renderObject(version, schemaName, o)) });
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
