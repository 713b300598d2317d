/**
 * Every resource module the API serves. A new area of the API is one module here; the
 * webhooks part adds its module (endpoints, replay, deliveries, dead letters) to this list.
 */
import type { RouteModule } from "./http/route-module.ts";
import { customersModule } from "./resources/customers.ts";
import { eventsModule } from "./resources/events.ts";
import { integrationModule } from "./resources/integration.ts";
import { listingsModule } from "./resources/listings.ts";
import { ordersModule } from "./resources/orders.ts";
import { testUtilitiesModule } from "./resources/test-utilities.ts";
import { usageModule } from "./usage/routes.ts";
import { webhooksModule } from "./webhooks/routes.ts";

export function defaultRouteModules(options: {
  /** WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1 (server/config.ts). */
  allowPrivateWebhookUrls: boolean;
  /** Outside production (server/config.ts): replayed bodies are checked against the document. */
  checkWebhookBodies?: boolean;
}): RouteModule[] {
  const modules: RouteModule[] = [
    integrationModule,
    listingsModule,
    customersModule,
    ordersModule,
    eventsModule,
    webhooksModule({
      allowPrivate: options.allowPrivateWebhookUrls,
      checkBodies: options.checkWebhookBodies ?? true,
    }),
    usageModule,
  ];
  modules.push(testUtilitiesModule(() => modules));
  return modules;
}
