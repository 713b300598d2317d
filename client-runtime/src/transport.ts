/**
 * The `fetch` that openapi-fetch calls: it adds the Idempotency-Key, bounds each attempt with a
 * timeout, retries what is safe to retry, and notices a server answering in another version.
 */
import { WthConnectionError, WthTimeoutError } from "./errors.ts";
import { backoffDelay, isRetriableStatus, MAX_RETRY_AFTER_MS, parseRetryAfter } from "./retry.ts";

/** Any WHATWG-compatible `fetch`; it must honour `init.signal`, which carries the timeout. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** What `onVersionMismatch` is told when a response's `X-API-Version` differs from the client's. */
export interface VersionMismatch {
  /** The version this client was generated for. */
  expected: string;
  /** The version the server rendered the response in: the integration's pinned version. */
  received: string;
  /** `Request-Id` of the response that revealed the mismatch. */
  requestId: string | null;
}

/** Everything the transport needs; the clock and randomness are injectable for tests. */
export interface TransportSettings {
  fetch: FetchLike;
  apiVersion: string;
  timeoutMs: number;
  maxRetries: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  generateIdempotencyKey: () => string;
  onVersionMismatch: (mismatch: VersionMismatch) => void;
}

/** Per-call overrides of the client's settings. */
export interface CallSettings {
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
  idempotencyKey?: string | undefined;
  /** The caller's cancellation signal, if any (also on the request; kept here to skip linking when absent). */
  signal?: AbortSignal | undefined;
}

/** Sends one logical request, retrying as the policy allows; resolves with the final response. */
export type Transport = (request: Request, call: CallSettings) => Promise<Response>;

const IDEMPOTENCY_HEADER = "Idempotency-Key";

/** Builds the transport for one client instance. */
export function createTransport(settings: TransportSettings): Transport {
  const reported = new Set<string>();

  function noticeVersion(response: Response): void {
    const received = response.headers.get("x-api-version");
    if (received === null || received === settings.apiVersion || reported.has(received)) return;
    reported.add(received);
    settings.onVersionMismatch({
      expected: settings.apiVersion,
      received,
      requestId: response.headers.get("request-id"),
    });
  }

  async function attempt(
    request: Request,
    timeoutMs: number,
    caller: AbortSignal | undefined,
  ): Promise<Response> {
    if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) return settings.fetch(request);
    caller?.throwIfAborted();
    const controller = new AbortController();
    // Linking signals costs a listener per call; only a caller-supplied signal needs it.
    const forward = (): void => controller.abort(caller?.reason);
    caller?.addEventListener("abort", forward, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    try {
      return await settings.fetch(request, { signal: controller.signal });
    } catch (error) {
      throw timedOut ? new TimeoutMarker(timeoutMs, error) : error;
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener("abort", forward);
    }
  }

  return async function send(request, call) {
    const maxRetries = Math.max(0, call.maxRetries ?? settings.maxRetries);
    const timeoutMs = call.timeoutMs ?? settings.timeoutMs;
    if (request.method === "POST") {
      if (call.idempotencyKey !== undefined) {
        request.headers.set(IDEMPOTENCY_HEADER, call.idempotencyKey);
      } else if (!request.headers.has(IDEMPOTENCY_HEADER)) {
        request.headers.set(IDEMPOTENCY_HEADER, settings.generateIdempotencyKey());
      }
    }
    for (let retry = 0; ; retry++) {
      const isLast = retry >= maxRetries;
      // A bodiless request can be sent again as is; one with a body is consumed by fetch.
      const outgoing = isLast || request.body === null ? request : request.clone();
      let response: Response;
      try {
        response = await attempt(outgoing, timeoutMs, call.signal);
      } catch (error) {
        if (call.signal?.aborted || request.signal.aborted) throw call.signal?.reason ?? error;
        if (isLast) throw connectionError(request, error, retry + 1);
        await settings.sleep(backoffDelay(retry, settings.random));
        continue;
      }
      noticeVersion(response);
      if (isLast || response.status < 409) return response;
      const code = response.status === 409 ? await peekErrorCode(response) : undefined;
      if (!isRetriableStatus(response.status, code)) return response;
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"), settings.now());
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) return response;
      await response.body?.cancel();
      await settings.sleep(retryAfter ?? backoffDelay(retry, settings.random));
    }
  };
}

/** Distinguishes our own timeout from the caller's abort and from network failures. */
class TimeoutMarker {
  constructor(
    readonly timeoutMs: number,
    readonly cause: unknown,
  ) {}
}

function connectionError(request: Request, error: unknown, attempts: number): WthConnectionError {
  const where = `${request.method} ${new URL(request.url).origin}`;
  const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  if (error instanceof TimeoutMarker) {
    return new WthTimeoutError(
      `${where}: no response within ${error.timeoutMs} ms (${tries}).`,
      attempts,
      { cause: error.cause },
    );
  }
  const reason = error instanceof Error ? describeNetworkError(error) : String(error);
  return new WthConnectionError(`${where}: could not connect (${tries}): ${reason}`, attempts, {
    cause: error,
  });
}

/** Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED…) is in `cause`. */
function describeNetworkError(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error && cause.message !== "") return `${error.message}: ${cause.message}`;
  return error.message;
}

async function peekErrorCode(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.clone().json();
    if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
    const error: unknown = body.error;
    if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
    return typeof error.code === "string" ? error.code : undefined;
  } catch {
    return undefined;
  }
}
