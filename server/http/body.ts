/**
 * JSON bodies only, at most 64 KiB, at most 32 levels deep. Each refusal is a 4xx with its own
 * code, raised before any handler runs, so a bad body never causes a partial write.
 */
import express, { type RequestHandler } from "express";
import { ApiError } from "./errors.ts";

export const BODY_LIMIT_BYTES = 64 * 1024;
export const MAX_DEPTH = 32;

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers["content-length"];
  if (headers["transfer-encoding"] !== undefined) return true;
  return length !== undefined && length !== "0";
}

function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

/** Depth of a parsed JSON value, counting nested arrays and objects; stops once past `limit`. */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function jsonBody(): RequestHandler[] {
  const parse = express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: () => true });
  return [
    (req, _res, next) => {
      // Only POST and PATCH take bodies here; a body sent with GET or DELETE is ignored.
      if ((req.method !== "POST" && req.method !== "PATCH") || !hasBody(req.headers)) {
        next();
        return;
      }
      if (!isJsonType(req.headers["content-type"])) {
        throw new ApiError(
          "unsupported_media_type",
          `Request bodies must be application/json, not ${req.headers["content-type"] ?? "untyped"}.`,
        );
      }
      parse(req, _res, next);
    },
    (req, _res, next) => {
      if (req.body !== undefined && depthExceeds(req.body, MAX_DEPTH)) {
        throw new ApiError("body_too_deep", `The JSON body nests deeper than ${MAX_DEPTH} levels.`);
      }
      next();
    },
  ];
}
