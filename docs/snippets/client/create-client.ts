import { createClient } from "@watchtraderhub/api-2026-05-07";

// One client per process: it is cheap to keep and reuses connections.
export const wth = createClient({
  apiKey: process.env.WTH_API_KEY ?? "",
  // Required: where the API lives, e.g. http://localhost:3000 while developing.
  baseUrl: process.env.WTH_BASE_URL ?? "http://localhost:3000",
  timeoutMs: 10_000,
  maxRetries: 2,
});
