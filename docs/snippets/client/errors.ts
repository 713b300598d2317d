import type { Client, ErrorCode } from "@watchtraderhub/api-2026-05-07";

/** Publishes a listing, turning the documented failures into answers for a person. */
export async function publish(wth: Client, listingId: string): Promise<string> {
  const { data, error } = await wth.POST("/v1/listings/{listing_id}/publish", {
    params: { path: { listing_id: listingId } },
  });
  if (error === undefined) return `published ${data.id}`;
  switch (error.code) {
    case "invalid_listing_transition":
      return "this listing is already published, sold or archived";
    case "resource_not_found":
      return "no such listing";
    default:
      return `unexpected ${error.code}: ${error.message} (quote ${error.request_id})`;
  }
}

/**
 * Exhaustive over every code of the version: when a newer client adds a code, this switch stops
 * compiling until it is handled.
 */
export function nextStep(code: ErrorCode): "fix-request" | "fix-credentials" | "retry" | "give-up" {
  switch (code) {
    case "parameter_missing":
    case "parameter_invalid":
    case "parameter_unknown":
    case "invalid_json":
    case "body_too_deep":
    case "body_too_large":
    case "unsupported_media_type":
    case "invalid_cursor":
    case "route_not_found":
    case "method_not_allowed":
    case "idempotency_key_reused":
    case "webhook_url_invalid":
    case "webhook_url_not_allowed":
      return "fix-request";
    case "authentication_required":
    case "invalid_api_key":
    case "test_mode_only":
      return "fix-credentials";
    case "idempotency_key_in_use":
    case "rate_limited":
    case "internal_error":
    case "service_unavailable":
      return "retry";
    case "resource_not_found":
    case "invalid_listing_transition":
    case "listing_not_editable":
    case "listing_not_published":
    case "listing_sold":
    case "invalid_order_transition":
    case "webhook_endpoint_disabled":
    case "version_conversion_failed":
      return "give-up";
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}
