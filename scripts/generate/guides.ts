import { readFile } from "node:fs/promises";
import path from "node:path";
import { Marked } from "marked";
import { bannerFor } from "./banner.ts";
import type { GeneratedFile } from "./context.ts";
import { escapeHtml, OFFLINE_CSP, SERVED_LINKS_SCRIPT } from "./html.ts";

/**
 * The hand-written guides an integrator needs beside the reference, rendered to HTML under
 * `generated/docs/guides/` so that the reference and the landing page can link to them, offline
 * and when served at /docs/guides/<name>.html. Maintainer-only guides stay Markdown in docs/.
 */
export const GUIDES = [
  { name: "client", title: "The typed client SDK" },
  { name: "webhooks", title: "Receiving webhooks" },
  { name: "versioning", title: "API versions" },
] as const;

export const GUIDES_DIR = "generated/docs/guides";

/** Where a guide is, seen from `generated/<date>/docs/index.html`. */
export function guideFromReference(name: string): string {
  return `../../docs/guides/${name}.html`;
}

/** Renders every guide whose Markdown exists under `<root>/docs/`. */
export async function renderGuides(root: string): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const guide of GUIDES) {
    const source = `docs/${guide.name}.md`;
    let markdown: string;
    try {
      markdown = await readFile(path.join(root, source), "utf8");
    } catch {
      continue; // a repository without this guide (e.g. a test fixture)
    }
    files.push({
      path: `${GUIDES_DIR}/${guide.name}.html`,
      contents: guidePage(guide.title, bannerFor(source), markdown),
    });
  }
  return files;
}

const rendered = new Set<string>(GUIDES.map((g) => g.name));

/** Links between rendered guides point at their HTML; links elsewhere in the repo are left as text targets. */
function rewriteHref(href: string): string {
  const match = /^(?:\.\/|docs\/|\.\.\/docs\/)?([a-z-]+)\.md(#.*)?$/.exec(href);
  if (match?.[1] !== undefined && rendered.has(match[1]))
    return `${match[1]}.html${match[2] ?? ""}`;
  return href;
}

function guidePage(title: string, banner: string, markdown: string): string {
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    walkTokens(token) {
      if (token.type === "link") token.href = rewriteHref(token.href);
    },
  });
  const body = marked.parse(markdown) as string;
  return `<!DOCTYPE html>
<!-- ${escapeHtml(banner)} -->
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${OFFLINE_CSP}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1f2328; }
    pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; }
    code { font-family: ui-monospace, monospace; font-size: 0.9em; }
    table { border-collapse: collapse; }
    th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #d0d7de; }
  </style>
  ${SERVED_LINKS_SCRIPT}
</head>
<body>
  <p><a href="../index.html">All API versions and the changelog</a></p>
${body}</body>
</html>
`;
}
