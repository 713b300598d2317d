/**
 * Writes the TypeScript source of a client package's `index.ts`: the version-specific layer that
 * binds the hand-written runtime to one document's types and version.
 */

/** What the entry needs to know about one version. */
export interface EntryInput {
  /** The version date. */
  version: string;
  /** The npm package name. */
  packageName: string;
  /** Schema names that get a top-level type alias (`Listing`, `Order`…). */
  schemaNames: readonly string[];
  /** Where integrators read the client guide. */
  guideUrl: string;
}

/** Names the entry exports itself; a schema alias with one of these names is skipped. */
const RESERVED = new Set([
  "API_VERSION",
  "PACKAGE_NAME",
  "ApiError",
  "ApiResult",
  "CallOptions",
  "Client",
  "ClientOptions",
  "ErrorCode",
  "VersionMismatch",
  "WebhookEvent",
  "WebhookEventType",
  "WebhookHeaders",
  "WebhookSignatureHeaders",
  "WebhookVerificationError",
  "WebhookVerificationReason",
  "TestWebhookOptions",
  "VerifyWebhookOptions",
  "components",
  "operations",
  "paths",
  "webhooks",
]);

/** Returns the source of `index.ts` for one version. */
export function entrySource(input: EntryInput): string {
  const aliases = [...input.schemaNames]
    .filter((name) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED.has(name))
    .sort()
    .map(
      (name) =>
        `/** The \`${name}\` schema of ${input.version}. */\n` +
        `export type ${name} = components["schemas"][${JSON.stringify(name)}];`,
    )
    .join("\n");
  return `/**
 * Typed client for the WatchTraderHub API, version ${input.version}.
 *
 * Guide: ${input.guideUrl}
 *
 * @packageDocumentation
 */
import {
  type ApiClient,
  type ClientOptions,
  createApiClient,
} from "./runtime/client.ts";
import {
  type VerifyWebhookOptions,
  type WebhookEventOf,
  type WebhookHeaders,
  verifyWebhookSignature,
} from "./runtime/webhooks.ts";
import type { components, paths, webhooks } from "./types.ts";

export type { ApiResult, CallOptions, ClientOptions } from "./runtime/client.ts";
export { unwrap } from "./runtime/client.ts";
export {
  WthApiError,
  WthConnectionError,
  WthError,
  WthTimeoutError,
  WthUnexpectedResponseError,
} from "./runtime/errors.ts";
export type { VersionMismatch } from "./runtime/transport.ts";
export type {
  TestWebhookOptions,
  VerifyWebhookOptions,
  WebhookHeaders,
  WebhookSignatureHeaders,
  WebhookVerificationReason,
} from "./runtime/webhooks.ts";
export {
  createTestWebhookHeaders,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookVerificationError,
} from "./runtime/webhooks.ts";
export type { components, operations, paths, webhooks } from "./types.ts";

/** The API version this package was generated for; every call expects responses in it. */
export const API_VERSION = ${JSON.stringify(input.version)};

/** This package's npm name, as it appears in warnings. */
export const PACKAGE_NAME = ${JSON.stringify(input.packageName)};

/** The error object of every error response; switch on \`code\`, the contract. */
export type ApiError = components["schemas"]["ApiError"];

/** Every documented error code of ${input.version}, as a literal union. */
export type ErrorCode = ApiError["code"];

/** A webhook event of ${input.version}: a union discriminated on \`type\`. */
export type WebhookEvent = WebhookEventOf<webhooks>;

/** The webhook event types of ${input.version}. */
export type WebhookEventType = WebhookEvent["type"];

/** A client for ${input.version}: \`GET\`, \`POST\`, \`PATCH\`, \`PUT\`, \`DELETE\` and \`paginate\`. */
export type Client = ApiClient<paths, ApiError>;

/**
 * Creates a client for API version ${input.version}.
 *
 * @example
 * const wth = createClient({
 *   apiKey: process.env.WTH_API_KEY ?? "",
 *   baseUrl: process.env.WTH_BASE_URL ?? "http://localhost:3000",
 * });
 * const { data, error } = await wth.GET("/v1/integration");
 */
export function createClient(options: ClientOptions): Client {
  return createApiClient<paths, ApiError>(options, {
    apiVersion: API_VERSION,
    packageName: PACKAGE_NAME,
  });
}

/**
 * Verifies a webhook's Standard Webhooks signature and timestamp and returns its typed event.
 * Pass the raw body exactly as received, the request headers, and the endpoint's \`whsec_…\`
 * secret (or a list of secrets while you rotate). Throws \`WebhookVerificationError\`.
 *
 * Event types added to the API later also reach endpoints subscribed to \`*\`: keep a
 * \`default\` branch when you switch on \`event.type\`.
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options?: VerifyWebhookOptions,
): WebhookEvent {
  return verifyWebhookSignature(rawBody, headers, secret, options) as WebhookEvent;
}

${aliases}
`;
}
