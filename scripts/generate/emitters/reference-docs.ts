import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringifyJson } from "../canonical-json.ts";
import { type OperationSamples, operationSamples, redocSamples } from "../code-samples.ts";
import type { Emitter, EmitterContext, JsonValue, OpenApiDocument } from "../context.ts";
import { withErrorCatalogue } from "../error-catalogue.ts";
import { GUIDES, guideFromReference } from "../guides.ts";
import { ERROR_ANCHOR_SCRIPT, escapeHtml, OFFLINE_CSP } from "../html.ts";
import { redoclyBuildDocs } from "../redocly.ts";
import { clientPackageName, firstServerUrl } from "./client.ts";

/** Where the landing page is, seen from `generated/<date>/docs/index.html`. */
export const LANDING_PAGE_FROM_REFERENCE = "../../docs/index.html";

/**
 * The "API docs by Redocly" attribution loads its logo from Redocly's CDN after the page
 * hydrates. We keep the attribution link and swap the image for an inline SVG, so the page
 * makes no outside request. The patch is checked: a Redocly upgrade that changes these strings
 * fails generation instead of silently shipping a page that phones home.
 */
const REMOTE_LOGOS = [
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg",
  "https://cdn.redoc.ly/redoc/logo-mini.svg",
];
const INLINE_LOGO =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='56' height='16'%3E%3Ctext x='0' y='12' font-family='sans-serif' font-size='12' fill='%23888'%3ERedocly%3C/text%3E%3C/svg%3E";

/** Options of the Redoc in the page. */
const REDOC_OPTIONS = {
  disableTelemetry: true,
  // A "Schemas" group in the sidebar, so that every named schema (ErrorCode) has a page.
  schemaDefinitionsTagName: "Schemas",
  // The languages of the right panel, named as the x-codeSamples of code-samples.ts label them.
  codeSamples: { languages: [{ lang: "curl" }, { lang: "TypeScript" }] },
};

/** Remote references that must never survive into a generated page. */
const FORBIDDEN = [
  /cdn\.redoc\.ly/,
  /cdn\.redocly\.com\/redoc\//,
  /fonts\.googleapis/,
  /<link[^>]+href="https?:/i,
  /<script[^>]+src=/i,
];

/**
 * `docs/index.html`: Redocly's reference page, fully inlined, working from file:// offline, with
 * a curl and a TypeScript sample for every operation; `docs/code-samples.json`: the same samples
 * as data, for the test that compiles and runs each of them.
 */
export const emitReferenceDocs: Emitter = async (ctx) => {
  const samples = operationSamples(ctx.document, {
    baseUrl: firstServerUrl(ctx),
    packageName: clientPackageName(ctx.version),
  });
  const input = path.join(ctx.scratchDir, "docs-input.json");
  const template = path.join(ctx.scratchDir, "docs-template.hbs");
  const output = path.join(ctx.scratchDir, "docs-output.html");
  const options = path.join(ctx.scratchDir, "docs-options.json");
  await writeFile(options, JSON.stringify(REDOC_OPTIONS));
  await writeFile(
    input,
    JSON.stringify(withCodeSamples(withErrorCatalogue(withLandingLink(ctx.bundled)), samples)),
  );
  await writeFile(template, pageTemplate(ctx));
  // Relative names only, so no absolute path can end up in the page.
  const result = await redoclyBuildDocs(
    ctx.scratchDir,
    path.basename(input),
    path.basename(template),
    path.basename(output),
    path.basename(options),
  );
  if (result.code !== 0) {
    throw new Error(
      `redocly build-docs failed: ${result.stderr.trim().split("\n").slice(-5).join(" | ")}`,
    );
  }
  let html = await readFile(output, "utf8");
  for (const url of REMOTE_LOGOS) {
    const count = html.split(url).length - 1;
    if (count !== 1) {
      throw new Error(
        `expected the Redoc logo URL ${url} once in the page, found it ${count} times; update the logo patch in ${import.meta.url.split("/scripts/")[1] ?? "reference-docs.ts"}`,
      );
    }
    html = html.replace(url, INLINE_LOGO);
  }
  html = hashRoutes(html);
  for (const pattern of FORBIDDEN) {
    if (pattern.test(html))
      throw new Error(`the reference page still references a remote asset (${pattern})`);
  }
  return [
    { path: `${ctx.outDir}/docs/index.html`, contents: html },
    {
      path: `${ctx.outDir}/docs/code-samples.json`,
      contents: stringifyJson({
        "x-generated": ctx.banner,
        operations: Object.fromEntries(
          [...samples].map(([id, s]) => [id, { ...s }] as [string, JsonValue]),
        ),
      }),
    },
  ];
};

/**
 * Redoc routes by hash in the browser (`#/listings`), but its prerendered markup carries the
 * routes as root paths (`href="/listings"`), and React keeps those attributes when it hydrates:
 * a link opened in a new tab or copied then points at a page that does not exist (a 404 when
 * served, nothing from file://). The prerendered hrefs become the hash routes the page uses.
 */
function hashRoutes(html: string): string {
  const count = html.match(/ href="\/[^"]*"/g)?.length ?? 0;
  if (count === 0) {
    throw new Error(
      'expected Redoc\'s prerendered sidebar links (href="/..."); update hashRoutes in reference-docs.ts',
    );
  }
  return html.replace(/ href="\/([^"]*)"/g, ' href="#/$1"');
}

/** Adds `x-codeSamples` to every operation of a copy of the bundle. */
function withCodeSamples(
  bundled: OpenApiDocument,
  samples: Map<string, OperationSamples>,
): OpenApiDocument {
  const copy = structuredClone(bundled);
  for (const item of Object.values(asObject(copy.paths))) {
    for (const operation of Object.values(asObject(item))) {
      const op = asObject(operation);
      const found = typeof op.operationId === "string" ? samples.get(op.operationId) : undefined;
      if (found === undefined) continue;
      op["x-codeSamples"] = redocSamples(found).map((sample) => ({ ...sample }));
    }
  }
  return copy;
}

function asObject(value: JsonValue | undefined): { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

/** Puts links to the landing page (all versions, changelog) and the guides atop the overview. */
function withLandingLink(bundled: OpenApiDocument): OpenApiDocument {
  const info = (bundled.info ?? {}) as { [key: string]: JsonValue };
  const description = typeof info.description === "string" ? info.description : "";
  const link = [
    `[All API versions and the changelog](${LANDING_PAGE_FROM_REFERENCE})`,
    ...GUIDES.map((g) => `[${g.title}](${guideFromReference(g.name)})`),
  ].join(" · ");
  return { ...bundled, info: { ...info, description: `${link}\n\n${description}`.trimEnd() } };
}

function pageTemplate(ctx: EmitterContext): string {
  const info = (ctx.bundled.info ?? {}) as { title?: JsonValue };
  const title = `${typeof info.title === "string" ? info.title : "API reference"} — ${ctx.version}`;
  // Handlebars fills redocHead/redocHTML; everything else is fixed text, escaped here.
  return `<!DOCTYPE html>
<!-- ${escapeHtml(ctx.banner)} -->
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${OFFLINE_CSP}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title).replaceAll("{", "&#123;")}</title>
  <link rel="index" href="${LANDING_PAGE_FROM_REFERENCE}">
  <style>body { padding: 0; margin: 0; }</style>
  ${ERROR_ANCHOR_SCRIPT}
  {{{redocHead}}}
</head>
<body>
  {{{redocHTML}}}
</body>
</html>
`;
}
