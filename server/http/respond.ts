import type { Request, Response } from "express";
import type { SchemaName } from "../../generated/newest.ts";
import { ConversionError } from "../versions/conversion-error.ts";
import { type JsonObject, upgradeRequest } from "../versions/index.ts";
import { apiVersionOf, operationOf } from "./context.ts";
import type { Page } from "./pagination.ts";
import { renderObject } from "./render.ts";

/** A success body's shape: one object of `schema`, or a list page of `items`. */
export interface BodyShape {
  schema: SchemaName;
  items?: SchemaName;
}

/** A newest-version success body rendered for `version` (a page: each item rendered). */
export function renderSuccess(version: string, shape: BodyShape, body: unknown): unknown {
  if (shape.items === undefined) return renderObject(version, shape.schema, body);
  const page = body as Page<unknown>;
  const items = shape.items;
  return { ...page, data: page.data.map((o) => renderObject(version, items, o)) };
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Renders after the handler has finished, so a write it made is committed already. A conversion
 * that fails still answers 500 version_conversion_failed, never the newest shape; it is marked
 * so that the error handler's alert says the write stands and the idempotency layer keeps the
 * key (a retry must not repeat a committed write).
 */
function renderAfterCommit(res: Response, shape: BodyShape, body: unknown): unknown {
  try {
    return renderSuccess(apiVersionOf(res), shape, body);
  } catch (e) {
    if (e instanceof ConversionError && WRITES.has(res.req.method)) {
      res.locals.writeCommitted = true;
    }
    throw e;
  }
}

/** Sends a newest-version object of schema `schemaName`, rendered for the pinned version. */
export function sendObject(
  res: Response,
  status: number,
  schemaName: SchemaName,
  object: unknown,
): void {
  res.status(status).json(renderAfterCommit(res, { schema: schemaName }, object));
}

/** Sends a page of newest-version objects of schema `schemaName`, each rendered for the pinned version. */
export function sendPage(res: Response, schemaName: SchemaName, page: Page<unknown>): void {
  res.status(200).json(renderAfterCommit(res, { schema: schemaName, items: schemaName }, page));
}

/** Sends a body already rendered for the pinned version (before its transaction committed). */
export function sendRendered(res: Response, status: number, rendered: unknown): void {
  res.status(status).json(rendered);
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
