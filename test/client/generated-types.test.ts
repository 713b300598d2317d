/**
 * Type tests against the committed client for 2026-05-07 (what `npm pack` ships), checked by
 * `npx tsc --noEmit`: the error-code union, the event union, and calls that must not compile.
 * Calls run against a scripted server so the runtime agrees with the types.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  type ScriptedServer,
  startScriptedServer,
} from "../../client-runtime/test/helpers/scripted-server.ts";
import {
  API_VERSION,
  type Client,
  createClient,
  type ErrorCode,
  type Listing,
  type WebhookEvent,
  type WebhookEventType,
} from "../../generated/2026-05-07/client/index.js";

let server: ScriptedServer;
let client: Client;

beforeAll(async () => {
  server = await startScriptedServer(() => ({
    status: 404,
    body: {
      error: { code: "resource_not_found", message: "No such listing", request_id: "req_1" },
    },
  }));
  client = createClient({ apiKey: "wth_test_k", baseUrl: server.url, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

describe("the generated 2026-05-07 client's types", () => {
  it("when an error comes back, then its code is the document's 28-code union", async () => {
    const { data, error } = await client.GET("/v1/listings/{listing_id}", {
      params: { path: { listing_id: "lst_missing00000000" } },
    });
    expectTypeOf(data).toEqualTypeOf<Listing | undefined>();
    expectTypeOf(error?.code).toEqualTypeOf<ErrorCode | undefined>();
    expectTypeOf<ErrorCode>().toEqualTypeOf<
      | "parameter_missing"
      | "parameter_invalid"
      | "parameter_unknown"
      | "invalid_json"
      | "body_too_deep"
      | "invalid_cursor"
      | "authentication_required"
      | "invalid_api_key"
      | "test_mode_only"
      | "resource_not_found"
      | "route_not_found"
      | "method_not_allowed"
      | "invalid_listing_transition"
      | "listing_not_editable"
      | "listing_not_published"
      | "listing_sold"
      | "invalid_order_transition"
      | "idempotency_key_in_use"
      | "webhook_endpoint_disabled"
      | "body_too_large"
      | "unsupported_media_type"
      | "idempotency_key_reused"
      | "webhook_url_invalid"
      | "webhook_url_not_allowed"
      | "rate_limited"
      | "internal_error"
      | "service_unavailable"
      | "version_conversion_failed"
    >();
    expect(error?.code).toBe("resource_not_found");
    expect(API_VERSION).toBe("2026-05-07");
  });

  it("when a switch on error.code misses codes, then it does not compile", async () => {
    const { error } = await client.GET("/v1/integration");
    const handle = (code: ErrorCode): string => {
      switch (code) {
        case "resource_not_found":
          return "gone";
        default: {
          // @ts-expect-error 26 codes are not handled
          const unhandled: never = code;
          return unhandled;
        }
      }
    };
    expect(handle(error?.code ?? "resource_not_found")).toBe("gone");
  });

  it("when a webhook event is narrowed by type, then data.object is that event's resource", () => {
    expectTypeOf<WebhookEventType>().toEqualTypeOf<
      | "listing.created"
      | "listing.updated"
      | "listing.published"
      | "listing.sold"
      | "customer.created"
      | "customer.updated"
      | "order.created"
      | "order.paid"
      | "order.shipped"
      | "order.cancelled"
    >();
    const brandOf = (event: WebhookEvent): string | undefined =>
      event.type === "listing.sold" ? event.data.object.brand : undefined;
    expectTypeOf<
      Extract<WebhookEvent, { type: "order.paid" }>["data"]["object"]["object"]
    >().toEqualTypeOf<"order">();
    expect(brandOf).toBeTypeOf("function");
  });

  it("when the path, a parameter or the body is wrong, then the call does not compile", () => {
    const before = server.requests.length;
    const watch = {
      brand: "Omega",
      model: "Speedmaster",
      reference_number: "310",
      currency: "EUR",
    };
    const stringPrice = { ...watch, condition: "new" as const, price: "5000" };
    const unknownCondition = { ...watch, condition: "mint" as const, price: 5000 };
    const path = { listing_id: "lst_1" };
    const wrong = [
      // @ts-expect-error no such path
      () => client.GET("/v1/watches"),
      // @ts-expect-error listings cannot be deleted
      () => client.DELETE("/v1/listings/{listing_id}", { params: { path } }),
      // @ts-expect-error limit is a number
      () => client.GET("/v1/listings", { params: { query: { limit: "20" } } }),
      // @ts-expect-error status is an enum
      () => client.GET("/v1/listings", { params: { query: { status: "for_sale" } } }),
      // @ts-expect-error the listing id is required
      () => client.POST("/v1/listings/{listing_id}/publish"),
      // @ts-expect-error the body is required
      () => client.POST("/v1/listings"),
      // @ts-expect-error price is an integer in minor units, not a string
      () => client.POST("/v1/listings", { body: stringPrice }),
      // @ts-expect-error condition is an enum
      () => client.POST("/v1/listings", { body: unknownCondition }),
      // @ts-expect-error /v1/integration is not a list
      () => client.paginate("/v1/integration"),
    ];
    expect(wrong).toHaveLength(9);
    expect(server.requests.length).toBe(before);
  });
});
