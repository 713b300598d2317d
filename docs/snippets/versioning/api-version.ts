import {
  verifyWebhook,
  type WebhookEvent,
  type WebhookHeaders,
} from "@watchtraderhub/api-2026-05-07";

/** The version this receiver's code was written for. */
const WRITTEN_FOR = "2026-05-07";

/**
 * Verifies a webhook and hands it to the code for its `api_version`: during a roll forward,
 * events rendered in the other version go to `otherVersion` until that code is removed.
 */
export function routeWebhook(
  rawBody: Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  handlers: {
    current: (event: WebhookEvent) => void;
    otherVersion: (apiVersion: string, rawBody: Uint8Array) => void;
  },
): void {
  const event = verifyWebhook(rawBody, headers, secret);
  if (event.api_version === WRITTEN_FOR) handlers.current(event);
  else handlers.otherVersion(event.api_version, rawBody);
}
