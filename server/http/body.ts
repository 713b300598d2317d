/**
 * UTF-8 JSON bodies only, at most 64 KiB, at most 32 levels deep, every string well-formed. Each refusal is a 4xx with its own
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

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when absent. */
function charsetOf(contentType: string): string | undefined {
  for (const param of contentType.split(";").slice(1)) {
    const [name, ...rest] = param.split("=");
    if (name?.trim().toLowerCase() === "charset") {
      return rest
        .join("=")
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .toLowerCase();
    }
  }
  return undefined;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The dotted path of the first string (value or key) in `value` that is not well-formed
 * UTF-16, or undefined. JSON's `\uD800` escapes can express such strings, but no storage or
 * client can keep them: they would come back as U+FFFD.
 */
export function loneSurrogatePath(value: unknown, at: string[] = []): string[] | undefined {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? at : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return at;
    const found = loneSurrogatePath(child, [...at, key]);
    if (found !== undefined) return found;
  }
  return undefined;
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
      const charset = charsetOf(req.headers["content-type"] ?? "");
      if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
        throw new ApiError(
          "unsupported_media_type",
          `Request bodies must be UTF-8 JSON; charset=${charset} is not accepted.`,
        );
      }
      parse(req, _res, next);
    },
    (req, _res, next) => {
      if (req.body !== undefined && depthExceeds(req.body, MAX_DEPTH)) {
        throw new ApiError("body_too_deep", `The JSON body nests deeper than ${MAX_DEPTH} levels.`);
      }
      const bad = req.body === undefined ? undefined : loneSurrogatePath(req.body);
      if (bad !== undefined) {
        const param = bad.length === 0 ? undefined : bad.join(".");
        throw new ApiError(
          "parameter_invalid",
          `${param ?? "body"} is not well-formed Unicode: it holds a lone surrogate (\\uD800–\\uDFFF without its pair).`,
          param,
        );
      }
      next();
    },
  ];
}
