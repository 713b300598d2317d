import type { Client } from "@watchtraderhub/api-2026-05-07";

/** Every published listing's id, however many pages that takes. */
export async function publishedListingIds(wth: Client): Promise<string[]> {
  const ids: string[] = [];
  for await (const listing of wth.paginate("/v1/listings", {
    params: { query: { status: "published", limit: 2 } },
  })) {
    ids.push(listing.id); // `listing` is a typed Listing
  }
  return ids;
}
