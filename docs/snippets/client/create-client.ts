import { createClient } from "@watchtraderhub/api-2026-05-07";

// One client per process: it is cheap to keep and reuses connections.
export const wth = createClient({
  apiKey: process.env.WTH_API_KEY ?? "",
  // Defaults to the document's server; point it at your local server while developing.
  baseUrl: process.env.WTH_BASE_URL,
  timeoutMs: 10_000,
  maxRetries: 2,
});
