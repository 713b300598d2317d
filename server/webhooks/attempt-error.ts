/**
 * Why an attempt failed — the `error` enum of an attempt in the API. A 2xx with a readable body is
 * the only success; everything else is one of these.
 */
export const ATTEMPT_ERRORS = [
  "timeout",
  "connection_error",
  "redirect",
  "http_status",
  "response_too_large",
] as const;
export type AttemptError = (typeof ATTEMPT_ERRORS)[number];

/** Raised while reading a response that exceeds the size limit. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body exceeds ${limitBytes} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

/** Raised when the per-attempt timeout fires. */
export class AttemptTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = "AttemptTimeoutError";
  }
}

/** Raised when a connection would reach a refused address (DNS answers can change after create). */
export class AddressNotAllowedError extends Error {
  readonly code = "EADDRNOTALLOWED";
  constructor(readonly address: string) {
    super(`webhook target resolves to a disallowed address (${address})`);
    this.name = "AddressNotAllowedError";
  }
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
]);

/** Maps a thrown transport error to the attempt's error class. */
export function classifyTransportError(err: unknown): AttemptError {
  if (err instanceof AttemptTimeoutError) return "timeout";
  if (err instanceof ResponseTooLargeError) return "response_too_large";
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && TIMEOUT_CODES.has(code)) return "timeout";
  return "connection_error";
}

/** A short, secret-free description of a transport error for the attempt's snippet. */
export function describeTransportError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const cause = (err as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : "";
    return `${typeof code === "string" ? `${code} ` : ""}${err.message}${causeText}`.slice(0, 1024);
  }
  return String(err).slice(0, 1024);
}
