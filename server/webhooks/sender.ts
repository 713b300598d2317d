import { isIP } from "node:net";
import { Pool } from "undici";
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
 * connections), a hard per-attempt deadline covering connect, headers and body, redirects never
 * followed, and at most `maxResponseBytes` of the response read.
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

export class WebhookSender {
  readonly #options: SenderOptions;
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(options: Partial<SenderOptions> = {}) {
    this.#options = { ...DEFAULT_SENDER_OPTIONS, ...options };
  }

  async send(request: OutgoingRequest): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const { timeoutMs, maxResponseBytes } = this.#options;
    let url: URL;
    try {
      url = new URL(request.url);
      this.#checkLiteralAddress(url);
    } catch (err) {
      return failure("connection_error", null, elapsed(), describeTransportError(err));
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new AttemptTimeoutError(timeoutMs)), timeoutMs);
    try {
      const response = await this.#pool(url.origin).request({
        method: "POST",
        path: `${url.pathname}${url.search}`,
        headers: {
          ...request.headers,
          "content-type": "application/json",
          "user-agent": this.#options.userAgent,
        },
        body: request.body,
        signal: controller.signal,
      });
      const status = response.statusCode;
      let text: string;
      try {
        text = await readLimited(response.body, maxResponseBytes);
      } catch (err) {
        response.body.destroy();
        const error = controller.signal.aborted ? "timeout" : classifyTransportError(err);
        return failure(error, status, elapsed(), describeTransportError(err));
      }
      const snippet = text.length > 0 ? text.slice(0, SNIPPET_CHARS) : null;
      const retryAfter =
        status === 429 || status === 503 ? headerValue(response.headers["retry-after"]) : null;
      if (status >= 200 && status < 300) {
        return {
          ok: true,
          statusCode: status,
          durationMs: elapsed(),
          error: null,
          snippet,
          retryAfter,
        };
      }
      const error: AttemptError = status >= 300 && status < 400 ? "redirect" : "http_status";
      return { ok: false, statusCode: status, durationMs: elapsed(), error, snippet, retryAfter };
    } catch (err) {
      const cause = controller.signal.aborted ? controller.signal.reason : err;
      return failure(classifyTransportError(cause), null, elapsed(), describeTransportError(cause));
    } finally {
      clearTimeout(timer);
    }
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

/** Reads a body up to `limit` bytes; throws ResponseTooLargeError past it without buffering more. */
async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > limit) throw new ResponseTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}
