/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * Content-Security-Policy for generated pages: inline script and style only, images and
 * workers from data:/blob:. The page then cannot fetch anything from the network even if a
 * future Redoc adds a remote asset; the browser test watches for such attempts.
 */
export const OFFLINE_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  "img-src data: blob:",
  "font-src data:",
  "worker-src blob:",
  "connect-src data: blob:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
