/**
 * One benchmark target, run as its own process by bench/server.ts:
 *   full     — the real server (auth, rate limit, request validation, idempotency, handler, logs)
 *              as `NODE_ENV=production` runs it (responses are not validated in production);
 *   novalid  — the same server and handler with request validation off (baseline a);
 *   bare     — a bare Express route returning the same JSON from memory (baseline b).
 * It reports its port over IPC and serves until killed.
 */
import fs from "node:fs";
import express from "express";
import { loadConfig } from "../../server/config.ts";
import { startServer } from "../../server/main.ts";

const [mode, pageFile] = process.argv.slice(2);

function ready(port: number): void {
  process.send?.({ port });
}

if (mode === "bare") {
  const page: unknown = JSON.parse(fs.readFileSync(pageFile ?? "", "utf8"));
  const app = express();
  app.get("/v1/listings", (_req, res) => {
    res.json(page);
  });
  const server = app.listen(0, "127.0.0.1", () => {
    const address = server.address();
    ready(typeof address === "object" && address !== null ? address.port : 0);
  });
} else if (mode === "full" || mode === "novalid") {
  const running = await startServer({
    config: { ...loadConfig(), port: 0, host: "127.0.0.1" },
    settings: mode === "novalid" ? { validateRequests: false, validateResponses: false } : {},
    announce: () => {},
  });
  ready(running.port);
} else {
  process.stderr.write(`bench/server/target.ts: unknown mode ${mode}\n`);
  process.exit(2);
}

// Exit normally on SIGINT so that `--cpu-prof` runs of a target write their profile.
process.on("SIGINT", () => process.exit(0));
