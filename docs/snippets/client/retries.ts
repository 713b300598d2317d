import type { Client, Order } from "@watchtraderhub/api-2026-05-07";
import { WthConnectionError } from "@watchtraderhub/api-2026-05-07";

/**
 * Creates an order with an Idempotency-Key derived from your own reference, so that even a retry
 * after your process crashed cannot buy the watch twice.
 */
export async function placeOrder(
  wth: Client,
  reference: string,
  listing: string,
  customer: string,
): Promise<Order | string> {
  try {
    const { data, error } = await wth.POST("/v1/orders", {
      body: { listing, customer },
      idempotencyKey: `checkout-${reference}`,
      maxRetries: 4,
    });
    return error ? error.code : data;
  } catch (failure) {
    // Thrown only when no response arrived after every retry; safe to call again later.
    if (failure instanceof WthConnectionError) return "unreachable";
    throw failure;
  }
}
