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
 * The reference routes by hash (`#/section/errors`), so an ordinary fragment such as
 * `#error-invalid_cursor` (the anchor of one error code, see error-catalogue.ts) would be
 * taken for a route that does not exist. This turns it into the Errors section's route and
 * scrolls to the code's row once Redoc has rendered it; it runs before Redoc's own listener.
 */
export const ERROR_ANCHOR_SCRIPT = `<script>
    (() => {
      const jump = () => {
        const match = /^#(error-[a-z0-9_]+)$/.exec(location.hash);
        if (!match) return;
        location.replace("#/section/errors");
        let tries = 0;
        const timer = setInterval(() => {
          const row = document.getElementById(match[1]);
          if (!row && ++tries < 200) return;
          clearInterval(timer);
          row?.scrollIntoView({ block: "center" });
          row?.closest("tr")?.setAttribute("style", "background: #fff8c5");
        }, 50);
      };
      jump();
      addEventListener("hashchange", jump);
    })();
  </script>`;
