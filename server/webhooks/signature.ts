import { createHmac } from "node:crypto";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
 * `{msg_id}.{timestamp}.{raw body}`, the signature is base64 HMAC-SHA256 under the secret's
 * decoded key, and each signature is written `v1,<base64>`; several are space-separated so a
 * receiver holding either the old or the new secret verifies during a rotation.
 */
export const SIGNATURE_VERSION = "v1";

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export function signPayload(
  key: Buffer,
  msgId: string,
  timestampSeconds: number,
  body: Buffer,
): string {
  const hmac = createHmac("sha256", key);
  hmac.update(`${msgId}.${timestampSeconds}.`);
  hmac.update(body);
  return `${SIGNATURE_VERSION},${hmac.digest("base64")}`;
}

/** Builds the three Standard Webhooks headers, one signature per key (newest key first). */
export function signedHeaders(
  keys: readonly Buffer[],
  msgId: string,
  timestampSeconds: number,
  body: Buffer,
): SignedHeaders {
  if (keys.length === 0) throw new Error("signedHeaders needs at least one key");
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": keys.map((k) => signPayload(k, msgId, timestampSeconds, body)).join(" "),
  };
}
