/**
 * The documentation site, served from generated/ so that every link in it resolves the same way
 * from the server as from the files on disk:
 *   /                           → redirects to /docs/, the landing page
 *   /docs/                      → generated/docs/index.html (landing page; /docs redirects here)
 *   /docs/guides/<name>.html    → generated/docs/guides/<name>.html
 *   /docs/<date>/               → generated/<date>/docs/index.html (/docs/<date> redirects here)
 *   /<date>/docs/index.html     → the same page at its generated/ path, where the landing page's
 *                                 relative links (written for file://) land
 *   /docs/<date>/openapi.json   → generated/<date>/openapi.json
 *   /sdk/@watchtraderhub/api-<date>.tgz → that version's typed client, packed (sdk-tarball.ts)
 * The pages name the document's server URL (`http://localhost:3000`) in the Servers box and in
 * every code sample; they are served with the URL the request reached this server at instead.
 */
import fs from "node:fs";
import path from "node:path";
import express, { type Request, type RequestHandler } from "express";
import { docsSecurityHeaders } from "../http/security-headers.ts";
import { packClient } from "./sdk-tarball.ts";

const DATE = String.raw`(\d{4}-\d{2}-\d{2})`;

/** A Host header we are willing to write into a page: a name or address and an optional port. */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The URL this request reached us at, or undefined when its Host header is not plain. */
export function requestOrigin(req: Request): string | undefined {
  const host = req.get("host");
  if (host === undefined || !SAFE_HOST.test(host)) return undefined;
  return `${req.protocol}://${host}`;
}

/** The first server URL of the newest generated document: what the pages were generated with. */
function documentedServerUrl(generatedDir: string, newest: string): string | undefined {
  try {
    const document = JSON.parse(
      fs.readFileSync(path.join(generatedDir, newest, "openapi.json"), "utf8"),
    ) as { servers?: { url?: unknown }[] };
    const url = document.servers?.[0]?.url;
    return typeof url === "string" ? url.replace(/\/+$/, "") : undefined;
  } catch {
    return undefined;
  }
}

export function docsRoutes(generatedDir: string, newestVersion: string): express.Router {
  const router = express.Router();
  // Every page below, wherever its relative links land it, gets the same CSP and framing rules.
  router.use(["/docs", new RegExp(`^/${DATE}/docs`)], docsSecurityHeaders());
  const documented = documentedServerUrl(generatedDir, newestVersion);

  const page =
    (file: (req: Request) => string): RequestHandler =>
    (req, res, next) => {
      const target = file(req);
      let html: string;
      try {
        html = fs.readFileSync(target, "utf8");
      } catch {
        next();
        return;
      }
      const origin = requestOrigin(req);
      if (documented !== undefined && origin !== undefined) {
        html = html.replaceAll(documented, origin);
      }
      res.type("html").send(html);
    };
  const param = (req: Request): string => (req.params as Record<string, string>)[0] ?? "";
  const redirect =
    (to: (req: Request) => string): RequestHandler =>
    (req, res, next) => {
      // Non-strict routing matches "/docs/" here too; only the slash-less path redirects.
      if (req.path.endsWith("/")) {
        next();
        return;
      }
      const query = req.originalUrl.includes("?")
        ? req.originalUrl.slice(req.originalUrl.indexOf("?"))
        : "";
      res.redirect(308, `${to(req)}${query}`);
    };

  // The server's root has nothing of its own; someone opening it wants the docs. A temporary
  // redirect, so a later index page at / is not shadowed by cached permanent redirects.
  router.get("/", (req, res) => {
    const query = req.originalUrl.includes("?")
      ? req.originalUrl.slice(req.originalUrl.indexOf("?"))
      : "";
    res.redirect(302, `/docs/${query}`);
  });
  // Relative links on the landing page resolve against /docs/, not /.
  router.get(
    "/docs",
    redirect(() => "/docs/"),
  );
  router.get(
    ["/docs/", "/docs/index.html"],
    page(() => path.join(generatedDir, "docs", "index.html")),
  );
  // A fixed name pattern, so no path can reach outside generated/docs.
  router.get(
    /^\/docs\/guides\/([a-z-]+)\.html$/,
    page((req) => path.join(generatedDir, "docs", "guides", `${param(req)}.html`)),
  );
  router.get(
    new RegExp(`^/docs/${DATE}$`),
    redirect((req) => `/docs/${param(req)}/`),
  );
  const reference = page((req) => path.join(generatedDir, param(req), "docs", "index.html"));
  router.get(new RegExp(`^/docs/${DATE}/(?:index\\.html)?$`), reference);
  router.get(new RegExp(`^/${DATE}/docs/(?:index\\.html)?$`), reference);
  router.get(new RegExp(`^/docs/${DATE}/openapi\\.json$`), (req, res, next) => {
    const file = path.join(generatedDir, param(req), "openapi.json");
    if (!fs.existsSync(file)) {
      next();
      return;
    }
    res.sendFile(file);
  });
  const tarballs = new Map<string, Buffer>();
  router.get(new RegExp(`^/sdk/@watchtraderhub/api-${DATE}\\.tgz$`), (req, res, next) => {
    const date = param(req);
    let tarball = tarballs.get(date);
    if (tarball === undefined) {
      tarball = packClient(path.join(generatedDir, date, "client"));
      if (tarball === undefined) {
        next();
        return;
      }
      tarballs.set(date, tarball);
    }
    res.type("application/gzip").send(tarball);
  });
  return router;
}
