/**
 * The few things the client throws. API errors are returned as `{ error }`, never thrown, except
 * by `paginate()` (an async iterator has no other channel) and by `unwrap()`, which asks for it.
 */

/** The shape every documented API error has; each generated client narrows `code` to its literal union. */
export interface ApiErrorShape {
  code: string;
  message: string;
  param?: string;
  request_id: string;
}

/** Base class of every error this client throws, so one `instanceof` catches them all. */
export class WthError extends Error {
  override name = "WthError";
}

/**
 * A documented API error, thrown by `paginate()` and `unwrap()`. `error` is the parsed body's
 * `error` object, so `err.error.code` is as precisely typed as a `{ error }` result.
 */
export class WthApiError<E extends ApiErrorShape = ApiErrorShape> extends WthError {
  override name = "WthApiError";
  /** The documented error code, e.g. `resource_not_found`. */
  readonly code: E["code"];
  /** The HTTP status of the response. */
  readonly status: number;
  /** The `Request-Id` of the failed request; quote it when contacting support. */
  readonly requestId: string;

  /** Wraps the `error` object of an API error response and the status it came with. */
  constructor(
    readonly error: E,
    status: number,
  ) {
    super(`${error.code}: ${error.message} (status ${status}, request ${error.request_id})`);
    this.code = error.code;
    this.status = status;
    this.requestId = error.request_id;
  }
}

/**
 * No response arrived: the connection failed or every attempt timed out, after all retries.
 * `cause` holds the last underlying error.
 */
export class WthConnectionError extends WthError {
  override name = "WthConnectionError";

  /** `attempts` counts the requests sent, retries included. */
  constructor(
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Every attempt ran out of time (`timeoutMs`) before the response headers arrived. */
export class WthTimeoutError extends WthConnectionError {
  override name = "WthTimeoutError";
}

/**
 * The server, or something between it and you (a proxy, a load balancer), answered with a body
 * that is not the documented error shape, e.g. an HTML 502 page.
 */
export class WthUnexpectedResponseError extends WthError {
  override name = "WthUnexpectedResponseError";

  /** `body` is the response text as received, cut to 1,000 characters. */
  constructor(
    readonly status: number,
    readonly body: string,
    readonly requestId: string | null,
  ) {
    super(
      `The server answered ${status} with a body that is not ${status < 400 ? "JSON" : "a documented error"} ` +
        `(request ${requestId ?? "without Request-Id"}): ${body.slice(0, 200)}`,
    );
  }
}
