import type { ChangelogEntry } from "./changelog.ts";
import { GUIDES, MAINTAINER_GUIDES } from "./guides.ts";
import { escapeHtml, OFFLINE_CSP } from "./html.ts";

export const LANDING_PAGE_PATH = "generated/docs/index.html";

export interface LandingVersion {
  version: string;
  status: "released" | "unreleased";
  releasedAt: string | null;
  /** The version new integrations pin to. */
  current: boolean;
  /** The reference page, relative to the landing page. */
  href: string;
}

export interface LandingPageInput {
  banner: string;
  title: string;
  /** Newest first. */
  versions: LandingVersion[];
  changelog: ChangelogEntry[];
  /** The guides rendered next to the landing page (names of GUIDES / MAINTAINER_GUIDES). */
  guides: ReadonlySet<string>;
  /** docs/getting-started.md as HTML, if the repository has it. */
  gettingStarted: string | undefined;
}

/** The docs landing page: every dated version, its reference, and the changelog. */
export function renderLandingPage(input: LandingPageInput): string {
  const rows = input.versions.map((v) => {
    const marks = [
      v.current ? `<strong class="current">current</strong>` : "",
      v.status === "unreleased" ? `<span class="unreleased">unreleased</span>` : "",
    ].join(" ");
    return `      <tr${v.current ? ` class="current-row"` : ""}>
        <td><a href="${escapeHtml(v.href)}">${escapeHtml(v.version)}</a> ${marks.trim()}</td>
        <td>${escapeHtml(v.status)}</td>
        <td>${escapeHtml(v.releasedAt ?? "not yet released")}</td>
      </tr>`;
  });
  const changelog = input.changelog.map((entry) => {
    const changes =
      entry.changes.length === 0
        ? `      <p>No breaking changes recorded.</p>`
        : `      <ul>\n${entry.changes
            .map(
              (c) =>
                `        <li id="${escapeHtml(`${entry.version}-${c.id}`)}">${c.breaking ? "<strong>Breaking:</strong> " : ""}${escapeHtml(c.description)}</li>`,
            )
            .join("\n")}\n      </ul>`;
    return `    <section class="changelog-entry" id="changelog-${escapeHtml(entry.version)}">
      <h3>${escapeHtml(entry.version)}</h3>
      <p class="meta">Status: ${escapeHtml(entry.status)}. Released: ${escapeHtml(entry.releasedAt ?? "not yet")}.</p>
${changes}
    </section>`;
  });
  return `<!DOCTYPE html>
<!-- ${escapeHtml(input.banner)} -->
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${OFFLINE_CSP}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(input.title)}: versions and changelog</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1f2328; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #d0d7de; }
    .current { color: #1a7f37; }
    .unreleased { color: #9a6700; }
    .meta { color: #59636e; }
  </style>
</head>
<body>
  <h1>${escapeHtml(input.title)}</h1>
  <p>The API is versioned by date. Each integration is pinned to one version; the current version is the one new integrations get.</p>
  <h2 id="versions">Versions</h2>
  <table>
    <thead>
      <tr><th>Version</th><th>Status</th><th>Released</th></tr>
    </thead>
    <tbody>
${rows.join("\n")}
    </tbody>
  </table>
${input.gettingStarted === undefined ? "" : `  <section id="getting-started">\n${input.gettingStarted.replace(/<h1 id="getting-started">/, "<h2>").replace(/<\/h1>/, "</h2>")}  </section>\n`}  <h2 id="guides">Guides</h2>
  <ul>
${GUIDES.filter((g) => input.guides.has(g.name))
  .map((g) => `    <li><a href="guides/${g.name}.html">${escapeHtml(g.title)}</a></li>`)
  .join("\n")}
  </ul>
  <h2 id="maintainers">For maintainers</h2>
  <ul>
${MAINTAINER_GUIDES.filter((g) => input.guides.has(g.name))
  .map((g) => `    <li><a href="guides/${g.name}.html">${escapeHtml(g.title)}</a></li>`)
  .join("\n")}
  </ul>
  <h2 id="changelog">Changelog</h2>
${changelog.join("\n")}
</body>
</html>
`;
}
