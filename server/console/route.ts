/**
 * `/console`: one static page over the public API (server/console/console.html). It keeps the
 * API key in the tab's sessionStorage and calls /v1 like any client, so the console needs no
 * session store and no endpoint of its own.
 */
import path from "node:path";
import express from "express";

/** Inline script and style only, and fetches to this origin: nothing else loads. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const PAGE = path.join(import.meta.dirname, "console.html");

export function consoleRoutes(): express.Router {
  const router = express.Router();
  router.get(["/console", "/console/"], (_req, res) => {
    res.setHeader("Content-Security-Policy", CONSOLE_CSP);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Frame-Options", "DENY");
    res.sendFile(PAGE);
  });
  return router;
}
