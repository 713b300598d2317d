import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import { type Dispatcher, Pool } from "undici";
import {
  type AttemptError,
  AttemptTimeoutError,
  classifyTransportError,
  describeTransportError,
  ResponseTooLargeError,
} from "./attempt-error.ts";
import { guardedLookup, isRefusedAddress } from "./url-safety.ts";

/**
 * The HTTP side of a delivery attempt: one keep-alive undici Pool per origin (bounded
 * connections), a hard per-attempt deadline covering the wait for a connection, connect,
 * headers and body, redirects never followed, and at most `maxResponseBytes` of the response
 * read.
 */
export interface SenderOptions {
  timeoutMs: number;
  /** Bytes of response body read before the attempt is failed as `response_too_large`. */
  maxResponseBytes: number;
  /** Connections per origin. */
  connectionsPerOrigin: number;
  /** When false, connections to loopback/private/link-local addresses are refused at connect time. */
  allowPrivate: boolean;
  userAgent: string;
}

export const DEFAULT_SENDER_OPTIONS: SenderOptions = {
  timeoutMs: 15_000,
  maxResponseBytes: 64 * 1024,
  connectionsPerOrigin: 16,
  allowPrivate: false,
  userAgent: "WatchTraderHub-Webhooks/1.0",
};

export const SNIPPET_CHARS = 1024;

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: AttemptError | null;
  /** At most SNIPPET_CHARS characters of the response body or of the transport error. */
  snippet: string | null;
  /** Raw `Retry-After` of a 429/503, for the retry policy to interpret. */
  retryAfter: string | null;
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

interface Target {
  origin: string;
  path: string;
  /** Set when the URL cannot be sent to at all (unparseable, or a refused literal address). */
  refused: string | null;
}

const TARGET_CACHE_MAX = 1_000;

export class WebhookSender {
  readonly #options: SenderOptions;
  readonly #pools = new Map<string, Pool>();
  /** Parsed endpoint URLs: the same few URLs are sent to over and over. */
  readonly #targets = new Map<string, Target>();
  #closed = false;

  constructor(options: Partial<SenderOptions> = {}) {
    this.#options = { ...DEFAULT_SENDER_OPTIONS, ...options };
  }

  /**
   * One attempt through the origin's pool, driven by undici's dispatch handler directly: the
   * response body is read as it arrives (no stream), and the deadline is one timer that aborts
   * the request wherever it is (queued, connecting, waiting for headers, reading the body).
   */
  send(request: OutgoingRequest): Promise<AttemptOutcome> {
    const started = performance.now();
    const target = this.#target(request.url);
    if (target.refused !== null) {
      return Promise.resolve(
        failure("connection_error", null, elapsedSince(started), target.refused),
      );
    }
    let pool: Pool;
    try {
      pool = this.#pool(target.origin);
    } catch (err) {
      return Promise.resolve(
        failure("connection_error", null, elapsedSince(started), describeTransportError(err)),
      );
    }
    const headers: string[] = [];
    for (const name in request.headers) {
      if (name !== "content-type" && name !== "user-agent") {
        headers.push(name, request.headers[name] as string);
      }
    }
    headers.push("content-type", "application/json", "user-agent", this.#options.userAgent);
    return new Promise((resolve) => {
      const attempt = new Attempt(resolve, started, this.#options);
      try {
        pool.dispatch(
          { origin: target.origin, method: "POST", path: target.path, headers, body: request.body },
          attempt,
        );
      } catch (err) {
        attempt.fail(err);
      }
    });
  }

  #target(url: string): Target {
    let target = this.#targets.get(url);
    if (target === undefined) {
      try {
        const parsed = new URL(url);
        this.#checkLiteralAddress(parsed);
        target = {
          origin: parsed.origin,
          path: `${parsed.pathname}${parsed.search}`,
          refused: null,
        };
      } catch (err) {
        target = { origin: "", path: "", refused: describeTransportError(err) };
      }
      if (this.#targets.size >= TARGET_CACHE_MAX) this.#targets.clear();
      this.#targets.set(url, target);
    }
    return target;
  }

  #checkLiteralAddress(url: URL): void {
    if (this.#options.allowPrivate) return;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    // Literal IPs never reach the DNS lookup hook, so they are checked here.
    if (isIP(host) !== 0 && isRefusedAddress(host)) {
      throw Object.assign(new Error(`webhook target ${host} is a disallowed address`), {
        code: "EADDRNOTALLOWED",
      });
    }
  }

  #pool(origin: string): Pool {
    if (this.#closed) throw new Error("sender is closed");
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.#options.connectionsPerOrigin,
        keepAliveTimeout: 30_000,
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
        connectTimeout: this.#options.timeoutMs,
        connect: this.#options.allowPrivate ? {} : { lookup: guardedLookup },
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}

/**
 * One request's dispatch handler: collects at most `maxResponseBytes` of the body and settles
 * the attempt exactly once — on the end of the response, an error, or the deadline.
 */
class Attempt implements Dispatcher.DispatchHandler {
  readonly #resolve: (outcome: AttemptOutcome) => void;
  readonly #started: number;
  readonly #limit: number;
  readonly #timeoutMs: number;
  readonly #timer: NodeJS.Timeout;
  #controller: Dispatcher.DispatchController | null = null;
  #status: number | null = null;
  #retryAfter: string | null = null;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #timedOut = false;
  #settled = false;

  constructor(
    resolve: (outcome: AttemptOutcome) => void,
    started: number,
    options: Pick<SenderOptions, "timeoutMs" | "maxResponseBytes">,
  ) {
    this.#resolve = resolve;
    this.#started = started;
    this.#limit = options.maxResponseBytes;
    this.#timeoutMs = options.timeoutMs;
    this.#timer = setTimeout(() => this.#expire(), options.timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // The deadline passed while the request waited for a connection: do not send it now.
    if (this.#timedOut) controller.abort(new AttemptTimeoutError(this.#timeoutMs));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return; // 1xx: the real response follows
    this.#status = statusCode;
    if (statusCode === 429 || statusCode === 503) {
      this.#retryAfter = headerValue(headers["retry-after"]);
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#bytes += chunk.length;
    if (this.#bytes > this.#limit) {
      controller.abort(new ResponseTooLargeError(this.#limit));
      return;
    }
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    const status = this.#status ?? 0;
    const text =
      this.#chunks.length === 0 ? "" : Buffer.concat(this.#chunks, this.#bytes).toString("utf8");
    const snippet = text.length > 0 ? text.slice(0, SNIPPET_CHARS) : null;
    const ok = status >= 200 && status < 300;
    const error: AttemptError | null = ok
      ? null
      : status >= 300 && status < 400
        ? "redirect"
        : "http_status";
    this.#settle({
      ok,
      statusCode: status,
      durationMs: elapsedSince(this.#started),
      error,
      snippet,
      retryAfter: this.#retryAfter,
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.fail(err);
  }

  fail(err: unknown): void {
    if (this.#settled) return;
    const cause = this.#timedOut ? new AttemptTimeoutError(this.#timeoutMs) : err;
    this.#settle(
      failure(
        classifyTransportError(cause),
        this.#status,
        elapsedSince(this.#started),
        describeTransportError(cause),
      ),
    );
  }

  #expire(): void {
    if (this.#settled) return;
    this.#timedOut = true;
    const controller = this.#controller;
    if (controller !== null) controller.abort(new AttemptTimeoutError(this.#timeoutMs));
    // Still queued for a connection (or the abort did not report back): settle now;
    // onRequestStart aborts the request if it is ever dispatched.
    this.fail(new AttemptTimeoutError(this.#timeoutMs));
  }

  #settle(outcome: AttemptOutcome): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#chunks = [];
    this.#resolve(outcome);
  }
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

function failure(
  error: AttemptError,
  statusCode: number | null,
  durationMs: number,
  snippet: string,
): AttemptOutcome {
  return { ok: false, statusCode, durationMs, error, snippet, retryAfter: null };
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
