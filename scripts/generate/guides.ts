import { readFile } from "node:fs/promises";
import path from "node:path";
import { Marked } from "marked";
import { bannerFor } from "./banner.ts";
import type { GeneratedFile } from "./context.ts";
import { escapeHtml, OFFLINE_CSP } from "./html.ts";

/**
 * The hand-written guides an integrator needs beside the reference, rendered to HTML under
 * `generated/docs/guides/` so that the reference and the landing page can link to them, offline
 * and when served at /docs/guides/<name>.html.
 */
export const GUIDES = [
  { name: "client", title: "The typed client SDK" },
  { name: "webhooks", title: "Receiving webhooks" },
  { name: "versioning", title: "API versions" },
] as const;

/** Maintainers' pages the integrator guides link to; rendered the same way, listed apart. */
export const MAINTAINER_GUIDES = [
  { name: "minting", title: "Minting and releasing a version (maintainers)" },
  { name: "versioning-internals", title: "How pinned versions keep their behaviour (maintainers)" },
] as const;

export const GUIDES_DIR = "generated/docs/guides";

/** Where a guide is, seen from `generated/<date>/docs/index.html`. */
export function guideFromReference(name: string): string {
  return `../../docs/guides/${name}.html`;
}

/** Renders every guide whose Markdown exists under `<root>/docs/`. */
export async function renderGuides(root: string): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const guide of [...GUIDES, ...MAINTAINER_GUIDES]) {
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

const rendered = new Set<string>([...GUIDES, ...MAINTAINER_GUIDES].map((g) => g.name));

/**
 * Links between rendered guides point at their HTML. A link to anything else in the repository
 * (a file or folder no page is made of) returns undefined: it has no address on the docs site,
 * so the page names the repository path instead of linking to nothing.
 */
function rewriteHref(href: string, guidesPrefix: string): string | undefined {
  if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(href)) return href;
  const match = /^(?:\.\/|docs\/|\.\.\/docs\/)?([a-z-]+)\.md(#.*)?$/.exec(href);
  if (match?.[1] !== undefined && rendered.has(match[1]))
    return `${guidesPrefix}${match[1]}.html${match[2] ?? ""}`;
  return undefined;
}

/** The landing page's own section, rendered from this guide when it exists. */
export const GETTING_STARTED = "docs/getting-started.md";

/** Renders getting-started.md for the landing page (links to guides go to `guides/`). */
export async function renderGettingStarted(root: string): Promise<string | undefined> {
  try {
    return renderMarkdown(await readFile(path.join(root, GETTING_STARTED), "utf8"), "guides/");
  } catch {
    return undefined; // a repository without it (e.g. a test fixture)
  }
}

function guidePage(title: string, banner: string, markdown: string): string {
  const body = renderMarkdown(markdown, "");
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
</head>
<body>
  <p><a href="../index.html">All API versions and the changelog</a></p>
${body}</body>
</html>
`;
}

/** Markdown to HTML: GitHub heading anchors, links to rendered guides, repository paths named. */
function renderMarkdown(markdown: string, guidesPrefix: string): string {
  const marked = new Marked({ gfm: true, async: false });
  const slugs = new Map<string, number>();
  marked.use({
    renderer: {
      // GitHub's heading anchors, so that `#retries-and-idempotency` works here as it does there.
      heading(token) {
        const text = this.parser.parseInline(token.tokens);
        const base = token.text
          .toLowerCase()
          .replace(/<[^>]*>/g, "")
          .replace(/[^\p{L}\p{N}\s_-]/gu, "")
          .trim()
          .replace(/\s/g, "-");
        const seen = slugs.get(base) ?? 0;
        slugs.set(base, seen + 1);
        const id = seen === 0 ? base : `${base}-${seen}`;
        return `<h${token.depth} id="${escapeHtml(id)}">${text}</h${token.depth}>\n`;
      },
      link(token) {
        const href = rewriteHref(token.href, guidesPrefix);
        const text = this.parser.parseInline(token.tokens);
        if (href !== undefined) {
          return `<a href="${escapeHtml(href)}">${text}</a>`;
        }
        const repoPath = path.posix.normalize(path.posix.join("docs", token.href));
        return `${text} (<code>${escapeHtml(repoPath)}</code> in the repository)`;
      },
    },
  });
  return marked.parse(markdown) as string;
}
