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

/**
 * Links between the generated pages are written for the files (generated/docs/index.html,
 * generated/<date>/docs/index.html), so they work from disk. The server (`npm start`) serves
 * the same pages at /docs and /docs/<date>; there, this follows the server's routes instead.
 */
export const SERVED_LINKS_SCRIPT = `<script>
    document.addEventListener("click", (event) => {
      if (location.protocol === "file:") return;
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      const href = link?.getAttribute("href") ?? "";
      const guide = href.match(/^(?:\\.\\.\\/)*(?:docs\\/)?guides\\/([a-z-]+\\.html(?:#.*)?)$/);
      const match = href.match(/^(?:\\.\\.\\/)+(?:(\\d{4}-\\d{2}-\\d{2})\\/)?docs\\/index\\.html$/);
      if (!match && !guide) return;
      event.preventDefault();
      if (guide) location.href = "/docs/guides/" + guide[1];
      else location.href = match[1] ? "/docs/" + match[1] : "/docs";
    }, true);
  </script>`;
