import type { Client, Listing } from "@watchtraderhub/api-2026-05-07";

/** Creates a draft listing and publishes it. */
export async function listAWatch(wth: Client): Promise<Listing> {
  const created = await wth.POST("/v1/listings", {
    body: {
      brand: "Rolex",
      model: "Submariner Date",
      reference_number: "126610LN",
      year: 2021,
      condition: "excellent",
      box: true,
      papers: true,
      price: 1_150_000, // minor units: EUR 11,500.00
      currency: "EUR",
    },
  });
  if (created.error) throw new Error(`create failed: ${created.error.code}`);

  const published = await wth.POST("/v1/listings/{listing_id}/publish", {
    params: { path: { listing_id: created.data.id } },
  });
  if (published.error) throw new Error(`publish failed: ${published.error.code}`);
  return published.data; // typed: published.data.status is "draft" | "published" | …
}
