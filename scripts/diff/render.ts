/**
 * Renderers at the edge: the same findings as a report a maintainer reads (grouped by operation
 * and webhook), as plain JSON, or as Markdown for the changelog.
 */
import type { DiffResult } from "./diff.ts";
import type { Finding, Level } from "./types.ts";

export type Format = "text" | "json" | "md" | "markdown" | "github";

function groupOf(f: Finding): string {
  if (f.location.operation !== undefined) return f.location.operation;
  if (f.location.webhook !== undefined) return `webhook ${f.location.webhook}`;
  return "document";
}

function groups(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const order = (g: string) => (g === "document" ? 0 : g.startsWith("webhook ") ? 2 : 1);
  const keys = [...new Set(findings.map(groupOf))].sort(
    (x, y) => order(x) - order(y) || x.localeCompare(y),
  );
  for (const k of keys) out.set(k, []);
  for (const f of findings) out.get(groupOf(f))?.push(f);
  return out;
}

/** The part of the pointer below the operation, in a form people read: `requestBody › brand`. */
export function readablePlace(f: Finding): string {
  const parts = f.location.pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let start = 0;
  if (parts[0] === "paths" || parts[0] === "webhooks") start = 3;
  const shown = parts
    .slice(start)
    .filter(
      (p, i, all) =>
        !(p === "properties" || (p === "schema" && i > 0 && all[i - 1] !== "parameters")) &&
        p !== "content",
    );
  const place = shown.join(" › ") || "(the whole operation)";
  return f.location.component === undefined ? place : `${place}  [${f.location.component}]`;
}

export function renderText(result: DiffResult): string {
  const lines = [
    `wth diff ${result.base} → ${result.revision}`,
    `${result.breaking} breaking, ${result.nonBreaking} not breaking`,
  ];
  // One line of what breaks, so a long report can be judged before it is read.
  const byRule = new Map<string, number>();
  for (const f of result.findings)
    if (f.breaking) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  if (byRule.size > 0)
    lines.push(`breaking: ${[...byRule].map(([rule, n]) => `${rule} ×${n}`).join(", ")}`);
  for (const [group, list] of groups(result.findings)) {
    lines.push("", group);
    for (const f of list) {
      lines.push(`  ${f.breaking ? "BREAKING" : "ok      "}  ${f.rule}  ${readablePlace(f)}`);
      lines.push(`            ${f.message}`);
    }
  }
  if (result.findings.length === 0) lines.push("", "No differences in the contract.");
  return `${lines.join("\n")}\n`;
}

export function renderJson(result: DiffResult): string {
  return `${JSON.stringify(
    {
      base: result.base,
      revision: result.revision,
      breaking: result.breaking,
      nonBreaking: result.nonBreaking,
      findings: result.findings,
    },
    null,
    2,
  )}\n`;
}

/**
 * The changelog: one line per change, not per operation. A change to a shared component is
 * written once, with the operations and webhooks it reaches.
 */
export function renderMarkdown(result: DiffResult): string {
  const lines = [`## Changes from ${result.base} to ${result.revision}`, ""];
  const section = (title: string, list: Finding[]) => {
    if (list.length === 0) return;
    lines.push(`### ${title}`, "");
    const merged = new Map<string, { f: Finding; where: string[] }>();
    for (const f of list) {
      const key = `${f.rule}|${f.location.component ?? ""}|${f.message}`;
      const entry = merged.get(key) ?? { f, where: [] };
      entry.where.push(groupOf(f));
      merged.set(key, entry);
    }
    for (const { f, where } of merged.values()) {
      const owner = f.location.component === undefined ? "" : `\`${f.location.component}\`: `;
      const places = [...new Set(where)].map((w) => `\`${w}\``).join(", ");
      lines.push(`- ${owner}${f.message} (\`${f.rule}\`; ${places})`);
    }
    lines.push("");
  };
  section(
    "Breaking changes (need a new dated version)",
    result.findings.filter((f) => f.breaking),
  );
  section(
    "Other changes",
    result.findings.filter((f) => !f.breaking && f.category !== "documentation"),
  );
  const docs = result.findings.filter((f) => f.category === "documentation").length;
  if (docs > 0) lines.push(`_${docs} documentation-only edit${docs === 1 ? "" : "s"}._`, "");
  if (result.findings.length === 0) lines.push("No changes to the contract.", "");
  return lines.join("\n");
}

/** GitHub Actions workflow-command escaping: the message, and a property value. */
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** GitHub's annotation command for each finding level. */
const ANNOTATION: Record<Level, "error" | "warning" | "notice"> = {
  error: "error",
  warning: "warning",
  info: "notice",
};

/**
 * Workflow annotations for a GitHub Actions step, one per finding at its level (`::error`,
 * `::warning`, `::notice`; documentation edits left out), then a summary line.
 */
export function renderGithub(result: DiffResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    if (!f.breaking && f.category === "documentation") continue;
    const where = groupOf(f);
    const title = escapeProperty(`${f.rule} (${where})`);
    const text = escapeData(`${f.message} [${where} ${f.location.pointer}]`);
    lines.push(`::${ANNOTATION[f.level]} title=${title}::${text}`);
  }
  lines.push(
    `wth diff ${result.base} → ${result.revision}: ${result.breaking} breaking, ${result.nonBreaking} not breaking`,
  );
  return `${lines.join("\n")}\n`;
}

export function render(result: DiffResult, format: Format): string {
  if (format === "json") return renderJson(result);
  if (format === "md" || format === "markdown") return renderMarkdown(result);
  if (format === "github") return renderGithub(result);
  return renderText(result);
}
