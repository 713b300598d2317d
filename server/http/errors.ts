/**
 * One error class for every failure the API reports, and one handler that turns anything
 * thrown into the documented envelope `{"error": {code, message, param?, request_id}}`.
 * `code` is the contract (listed in the document's ErrorCode enum); `message` is for people.
 */
import type { ErrorRequestHandler, Request } from "express";
import type { Logger } from "pino";
import { ConversionError } from "../versions/conversion-error.ts";
import { renderErrorForVersion } from "../versions/index.ts";

export type ErrorCode =
  | "parameter_missing"
  | "parameter_invalid"
  | "parameter_unknown"
  | "invalid_json"
  | "body_too_deep"
  | "invalid_cursor"
  | "authentication_required"
  | "invalid_api_key"
  | "test_mode_only"
  | "resource_not_found"
  | "route_not_found"
  | "method_not_allowed"
  | "invalid_listing_transition"
  | "listing_not_editable"
  | "listing_not_published"
  | "listing_sold"
  | "invalid_order_transition"
  | "idempotency_key_in_use"
  | "webhook_endpoint_disabled"
  | "body_too_large"
  | "unsupported_media_type"
  | "idempotency_key_reused"
  | "webhook_url_invalid"
  | "webhook_url_not_allowed"
  | "rate_limited"
  | "internal_error"
  | "service_unavailable"
  | "version_conversion_failed";

const STATUS: Record<ErrorCode, number> = {
  parameter_missing: 400,
  parameter_invalid: 400,
  parameter_unknown: 400,
  invalid_json: 400,
  body_too_deep: 400,
  invalid_cursor: 400,
  authentication_required: 401,
  invalid_api_key: 401,
  test_mode_only: 403,
  resource_not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  invalid_listing_transition: 409,
  listing_not_editable: 409,
  listing_not_published: 409,
  listing_sold: 409,
  invalid_order_transition: 409,
  idempotency_key_in_use: 409,
  webhook_endpoint_disabled: 409,
  body_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  webhook_url_invalid: 422,
  webhook_url_not_allowed: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  version_conversion_failed: 500,
};

export const ERROR_CODES = Object.keys(STATUS) as ErrorCode[];

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = STATUS[code];
  }
}

export function notFound(param: string, id: string, what: string): ApiError {
  return new ApiError("resource_not_found", `No such ${what}: '${id}'`, param);
}

/** The JSON body of an error response. */
export function errorBody(err: ApiError, requestId: string): { error: Record<string, string> } {
  const error: Record<string, string> = { code: err.code, message: err.message };
  if (err.param !== undefined) error.param = err.param;
  error.request_id = requestId;
  return { error };
}

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  headers?: Record<string, string>;
  errors?: Array<{ path?: string; message?: string; errorCode?: string }>;
}

/** Maps any thrown value (ours, body-parser's, the validator's) to an ApiError. */
export function toApiError(
  err: unknown,
  translateValidator: (e: HttpErrorLike) => ApiError | undefined,
): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ConversionError) {
    return new ApiError(
      "version_conversion_failed",
      `The response could not be rendered in API version ${err.version}. We have been alerted; quote the Request-Id to support.`,
    );
  }
  const e = (err ?? {}) as HttpErrorLike;
  if (e.type === "entity.too.large") {
    return new ApiError("body_too_large", "The request body exceeds 64 KiB.");
  }
  if (e.type === "entity.parse.failed") {
    return new ApiError("invalid_json", "The request body is not well-formed JSON.");
  }
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") {
    return new ApiError(
      "unsupported_media_type",
      "Only UTF-8 application/json bodies are accepted.",
    );
  }
  if (e.type === "request.aborted" || e.type === "request.size.invalid") {
    return new ApiError("parameter_invalid", "The request body was incomplete.");
  }
  const translated = translateValidator(e);
  if (translated !== undefined) return translated;
  return new ApiError("internal_error", "An unexpected error occurred. It is safe to retry.");
}

export interface ErrorHandlerOptions {
  logger: Logger;
  requestIdOf(req: Request): string;
  translateValidator: (e: HttpErrorLike) => ApiError | undefined;
}

/** The one place where failures become HTTP responses. */
export function errorHandler(opts: ErrorHandlerOptions): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const apiError = toApiError(err, opts.translateValidator);
    const requestId = opts.requestIdOf(req);
    if (err instanceof ConversionError) {
      // The alert: a response about to be sent in the wrong shape was stopped. The line names the
      // culprit and whether the request's write stands; it never carries the body.
      const committed = res.locals.writeCommitted === true;
      opts.logger.error(
        {
          alert: "version_conversion_failed",
          request_id: requestId,
          method: req.method,
          path: req.path,
          integration: (res.locals.integration as { id?: string } | undefined)?.id,
          ...err.logFields(),
          write_committed: committed,
        },
        committed
          ? "version conversion failed after the write was committed: answered 500, nothing sent in the wrong shape"
          : "version conversion failed: answered 500, nothing committed, nothing sent in the wrong shape",
      );
    } else if (apiError.status >= 500) {
      // Unexpected failures (and response-validation failures, which are our bugs) are loud.
      opts.logger.error(
        {
          request_id: requestId,
          err:
            err instanceof Error
              ? { message: err.message, stack: err.stack, errors: (err as HttpErrorLike).errors }
              : String(err),
        },
        "request failed",
      );
    }
    for (const [name, value] of Object.entries(apiError.headers)) res.setHeader(name, value);
    // Error bodies, like objects, are rendered in the pinned version (server/versions).
    const version = res.locals.apiVersion as string | undefined;
    const operation = res.locals.operation as { operationId?: string } | undefined;
    const body = errorBody(apiError, requestId);
    let rendered: unknown = body;
    try {
      rendered =
        version === undefined ? body : renderErrorForVersion(version, operation?.operationId, body);
    } catch (conversion) {
      // A conversion that fails must not leave Express to send its HTML page: log it loudly and
      // answer the internal error every version's document describes.
      opts.logger.error(
        { request_id: requestId, err: { message: (conversion as Error).message } },
        "error body conversion failed",
      );
      const internal = new ApiError("internal_error", "An unexpected error occurred.");
      res.status(500).json(errorBody(internal, requestId));
      return;
    }
    res.status(apiError.status).json(rendered);
  };
}
