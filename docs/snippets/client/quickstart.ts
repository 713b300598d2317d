/**
 * A complete integration: create and publish a listing, receive and verify its webhook, handle a
 * documented error, page through listings. It prints a JSON summary of what happened.
 * Run: WTH_API_KEY=wth_test_… WTH_BASE_URL=http://localhost:3000 node dist/quickstart.js
 */
import type { AddressInfo } from "node:net";
import { API_VERSION, type WebhookEvent } from "@watchtraderhub/api-2026-05-07";
import { wth } from "./create-client.js";
import { nextStep, publish } from "./errors.js";
import { listAWatch } from "./listings.js";
import { publishedListingIds } from "./pagination.js";
import { placeOrder } from "./retries.js";
import { sendSignedTestWebhook } from "./testing-webhooks.js";
import { createWebhookReceiver, describe } from "./webhooks.js";

async function main(): Promise<void> {
  const integration = await wth.GET("/v1/integration");
  if (integration.error) throw new Error(`cannot authenticate: ${integration.error.code}`);

  // 1. A local receiver, and an endpoint that delivers listing.published to it.
  const events: WebhookEvent[] = [];
  let secret = "";
  const server = createWebhookReceiver(
    () => secret,
    (event) => events.push(event),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  const endpoint = await wth.POST("/v1/webhook_endpoints", {
    body: { url, enabled_events: ["listing.published"] },
  });
  if (endpoint.error) throw new Error(`endpoint: ${endpoint.error.code}`);
  secret = endpoint.data.secret;

  // 2. Create and publish a listing, then wait for its webhook.
  const listing = await listAWatch(wth);
  const event = await waitFor(() =>
    events.find((e) => e.type === "listing.published" && e.data.object.id === listing.id),
  );

  // 3. A documented error, handled by its code.
  const again = await publish(wth, listing.id);
  const missing = await wth.GET("/v1/listings/{listing_id}", {
    params: { path: { listing_id: "lst_doesnotexist000000000" } },
  });
  const order = await placeOrder(wth, "ref-1", listing.id, "cus_doesnotexist000000000");

  // 4. Two more listings, then every published listing, two per page.
  const more = [await listAWatch(wth), await listAWatch(wth)];
  const ids = await publishedListingIds(wth);

  // 5. Your handler's own tests: a signed test webhook, and one signed with the wrong secret.
  const accepted = await sendSignedTestWebhook(url, secret, event);
  const rejected = await sendSignedTestWebhook(
    url,
    "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==",
    event,
  );

  server.close();
  process.stdout.write(
    `${JSON.stringify({
      api_version: { client: API_VERSION, integration: integration.data.api_version },
      listing: { id: listing.id, status: listing.status },
      webhook: { type: event.type, id: event.id, described: describe(event) },
      republish: again,
      missing: missing.error
        ? { code: missing.error.code, next: nextStep(missing.error.code) }
        : null,
      order: typeof order === "string" ? order : order.id,
      paginated: {
        count: ids.length,
        includes_all: [listing, ...more].every((l) => ids.includes(l.id)),
      },
      test_webhooks: { accepted, rejected },
    })}\n`,
  );
}

async function waitFor<T>(find: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error("timed out waiting for the webhook");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

await main();
