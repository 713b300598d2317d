import { createServer, type Server } from "node:http";
import {
  verifyWebhook,
  type WebhookEvent,
  WebhookVerificationError,
} from "@watchtraderhub/api-2026-05-07";

/**
 * An HTTP server that verifies each webhook and hands the typed event to `onEvent`. The secret
 * is read per request, so a rotated secret is picked up without a restart.
 */
export function createWebhookReceiver(
  secret: () => string,
  onEvent: (event: WebhookEvent) => void,
): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        // The raw bytes, exactly as received: never a parsed and re-serialized body.
        const event = verifyWebhook(Buffer.concat(chunks), req.headers, secret());
        onEvent(event);
        res.writeHead(204).end(); // acknowledge quickly; do slow work after
      } catch (error) {
        const reason = error instanceof WebhookVerificationError ? error.reason : "error";
        res.writeHead(400, { "content-type": "text/plain" }).end(reason);
      }
    });
  });
}

/** `event.type` narrows `event.data.object` to the right resource. */
export function describe(event: WebhookEvent): string {
  switch (event.type) {
    case "listing.published":
      return `${event.data.object.brand} ${event.data.object.model} is for sale`;
    case "order.paid":
      return `order ${event.data.object.id} paid: ${event.data.object.amount} ${event.data.object.currency}`;
    case "customer.created":
      return `new customer ${event.data.object.email}`;
    default:
      // Other types of this version, and types added later (endpoints subscribed to "*").
      return event.type;
  }
}
