/**
 * Standard Webhooks verification and signing (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{raw body}`, base64, `v1,`-prefixed, several signatures
 * space-separated during a secret rotation, secrets `whsec_<base64 key>`, ±5 minutes tolerance.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { WthError } from "./errors.ts";

/** Why a webhook failed verification; stable, so receivers can branch on it. */
export type WebhookVerificationReason =
  | "raw_body_required"
  | "missing_header"
  | "invalid_secret"
  | "invalid_timestamp"
  | "timestamp_too_old"
  | "timestamp_in_future"
  | "body_modified"
  | "signature_mismatch"
  | "invalid_payload";

/** Thrown by `verifyWebhook`; `reason` says what failed, `message` the likely cause and fix. */
export class WebhookVerificationError extends WthError {
  override name = "WebhookVerificationError";

  /** `reason` is the stable failure id; the message is for people. */
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super(message);
  }
}

/** Request headers as Node (`req.headers`), Express, or the Fetch API (`Headers`) give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** Options of `verifyWebhook`. */
export interface VerifyWebhookOptions {
  /** How far the timestamp may be from now, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The current time in ms since the epoch; injectable for tests. Default `Date.now()`. */
  now?: number;
}

/**
 * The three Standard Webhooks headers of one signed message. A type literal rather than an
 * interface, so it is assignable to `WebhookHeaders` and to `HeadersInit`.
 */
export type WebhookSignatureHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** Options of `createTestWebhookHeaders`. */
export interface TestWebhookOptions {
  /** The message id; default a fresh `evt_…`-looking id. */
  id?: string;
  /** Unix seconds; default now. Set it in the past to test your tolerance handling. */
  timestamp?: number;
}

/** The default tolerance between the signature timestamp and the receiver's clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = "whsec_";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Checks a webhook's signature and timestamp and returns its parsed JSON body. `rawBody` must be
 * the bytes as received; `secret` may be a list (old and new secret while you rotate).
 * Throws `WebhookVerificationError` naming the likely cause.
 */
export function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): unknown {
  const body = rawBodyText(rawBody);
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  const keys = (typeof secret === "string" ? [secret] : secret).map(decodeSecret);
  if (keys.length === 0) {
    throw new WebhookVerificationError("invalid_secret", "No webhook secret was given.");
  }
  checkTimestamp(timestamp, options);
  const candidates = signatures
    .split(" ")
    .filter((part) => part.startsWith("v1,"))
    .map((part) => Buffer.from(part.slice(3), "base64"));
  if (!matches(keys, id, timestamp, body, candidates)) {
    throw new WebhookVerificationError(...explainMismatch(keys, id, timestamp, body, candidates));
  }
  try {
    return JSON.parse(body);
  } catch {
    throw new WebhookVerificationError(
      "invalid_payload",
      "The signature is valid but the body is not JSON; this should not happen, please report it.",
    );
  }
}

/**
 * Signs `payload` (the exact body string you will send) with `secret` and returns the three
 * webhook headers, to test your webhook handler without the API.
 */
export function createTestWebhookHeaders(
  payload: string,
  secret: string,
  options: TestWebhookOptions = {},
): WebhookSignatureHeaders {
  const id = options.id ?? `evt_test${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = sign(decodeSecret(secret), id, timestamp, payload).toString("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${signature}`,
  };
}

function rawBodyText(rawBody: unknown): string {
  if (typeof rawBody === "string") return rawBody;
  if (rawBody instanceof Uint8Array) return Buffer.from(rawBody).toString("utf8");
  throw new WebhookVerificationError(
    "raw_body_required",
    `verifyWebhook needs the raw request body (a string or Buffer) exactly as received, but got ` +
      `${rawBody === null ? "null" : typeof rawBody}. A JSON body parser probably ran first; in ` +
      `Express, use express.raw({ type: "application/json" }) on the webhook route.`,
  );
}

function header(headers: WebhookHeaders, name: keyof WebhookSignatureHeaders): string {
  let value: string | string[] | null | undefined;
  if (headers instanceof Headers) {
    value = headers.get(name);
  } else {
    value = headers[name];
    if (value === undefined) {
      const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
      value = key === undefined ? undefined : headers[key];
    }
  }
  if (Array.isArray(value)) value = value.join(" ");
  if (typeof value !== "string" || value === "") {
    throw new WebhookVerificationError(
      "missing_header",
      `The webhook has no \`${name}\` header. Pass the request's headers unchanged (e.g. ` +
        `req.headers), and check that no proxy drops the webhook-* headers.`,
    );
  }
  return value;
}

function decodeSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = BASE64.test(encoded) ? Buffer.from(encoded, "base64") : Buffer.alloc(0);
  if (key.length === 0) {
    throw new WebhookVerificationError(
      "invalid_secret",
      "The webhook secret is not a `whsec_…` secret. Use the endpoint's `secret`, shown when " +
        "the endpoint was created or its secret rotated.",
    );
  }
  return key;
}

function checkTimestamp(timestamp: string, options: VerifyWebhookOptions): void {
  if (!/^\d+$/.test(timestamp)) {
    throw new WebhookVerificationError(
      "invalid_timestamp",
      "The `webhook-timestamp` header is not a Unix time in seconds.",
    );
  }
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const age = Math.floor((options.now ?? Date.now()) / 1000) - Number(timestamp);
  if (age > tolerance) {
    throw new WebhookVerificationError(
      "timestamp_too_old",
      `The webhook was signed ${age} s ago, beyond the ${tolerance} s tolerance: a replayed ` +
        `message, a delivery held up in a queue, or this machine's clock is off.`,
    );
  }
  if (-age > tolerance) {
    throw new WebhookVerificationError(
      "timestamp_in_future",
      `The webhook's timestamp is ${-age} s in the future, beyond the ${tolerance} s ` +
        `tolerance: this machine's clock is probably behind.`,
    );
  }
}

function sign(key: Buffer, id: string, timestamp: string, body: string): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
}

function matches(
  keys: readonly Buffer[],
  id: string,
  timestamp: string,
  body: string,
  candidates: readonly Buffer[],
): boolean {
  for (const key of keys) {
    const expected = sign(key, id, timestamp, body);
    for (const candidate of candidates) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return true;
    }
  }
  return false;
}

/**
 * Only on failure: if the compact re-serialization of the body verifies, the signature was
 * right and the body was reformatted on the way in — the most common integration mistake.
 */
function explainMismatch(
  keys: readonly Buffer[],
  id: string,
  timestamp: string,
  body: string,
  candidates: readonly Buffer[],
): [WebhookVerificationReason, string] {
  let compact: string | undefined;
  try {
    compact = JSON.stringify(JSON.parse(body));
  } catch {
    compact = undefined;
  }
  if (
    compact !== undefined &&
    compact !== body &&
    matches(keys, id, timestamp, compact, candidates)
  ) {
    return [
      "body_modified",
      "The body was changed before verification (it was re-formatted JSON). Pass the raw " +
        'request bytes, e.g. express.raw({ type: "application/json" }), not a parsed object.',
    ];
  }
  return [
    "signature_mismatch",
    "No signature in `webhook-signature` matches this body. Likely causes: the wrong secret " +
      "(each endpoint has its own `whsec_…`; after a rotation use the new one), or a body that " +
      "was altered before verification (pass the raw request bytes, not re-serialized JSON).",
  ];
}

/**
 * The union of a document's webhook payloads, from openapi-typescript's `webhooks` map: each
 * entry's POST request body. With `type` a constant per event, the union is discriminated.
 */
export type WebhookEventOf<Webhooks> = {
  [K in keyof Webhooks]: Webhooks[K] extends {
    post: { requestBody?: { content: { "application/json": infer Event } } };
  }
    ? Event
    : never;
}[keyof Webhooks];
