/**
 * Response headers that protect clients, set once for every response.
 *
 * API responses (and errors anywhere) are JSON a browser must not reinterpret (`nosniff`) and
 * often carry secrets (a `whsec_` secret on a 201, customer data), so no cache may keep them
 * (`no-store`). The reference pages under /docs are self-contained HTML: they may load only
 * from themselves (inline script and style, data: images and fonts, blob: workers), may not be
 * framed (clickjacking), and send no referrer.
 */
import type { RequestHandler } from "express";

export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** Every response: nosniff and no-store (the /docs routes relax caching for their pages). */
export function apiSecurityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Cache-Control", "no-store");
    next();
  };
}

/** The reference pages: a CSP that allows only the page itself, and no framing. */
export function docsSecurityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader("Content-Security-Policy", DOCS_CONTENT_SECURITY_POLICY);
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "no-referrer");
    // Pages change only with a deployment; revalidating each time is cheap and never stale.
    res.setHeader("Cache-Control", "no-cache");
    next();
  };
}
