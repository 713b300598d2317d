import { createTestWebhookHeaders } from "@watchtraderhub/api-2026-05-07";

/** Sends a correctly signed webhook to your own handler, as the API would. */
export async function sendSignedTestWebhook(
  url: string,
  secret: string,
  payload: object,
): Promise<number> {
  const body = JSON.stringify(payload);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...createTestWebhookHeaders(body, secret) },
    body,
  });
  return response.status;
}
