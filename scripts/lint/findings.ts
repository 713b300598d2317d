/**
 * A lint finding is plain data, shaped like Redocly's problem (rule, severity, message,
 * location); it is rendered to text only at the CLI edge.
 */
export type Severity = "error" | "warning" | "info";

export interface Finding {
  /** Which linter (or our own check) reported it. */
  tool: "redocly" | "spectral" | "wth";
  severity: Severity;
  /** The rule id as the tool names it, e.g. `rule/response-headers` or `oas3-schema`. */
  rule: string;
  message: string;
  /** Path of the file at fault, relative to the linted checkout, with forward slashes. */
  file: string;
  /** 1-based line and column, when the tool gave a position. */
  line?: number;
  column?: number;
  /** JSON pointer inside `file`, when the tool gave one. */
  pointer?: string;
}

/** `file:line:col: severity: message (tool rule)`, the format editors and CI logs link from. */
export function formatFinding(finding: Finding): string {
  let where = finding.file;
  if (finding.line !== undefined) {
    where += `:${finding.line}`;
    if (finding.column !== undefined) where += `:${finding.column}`;
  }
  const pointer = finding.pointer ? ` at ${finding.pointer}` : "";
  return `${where}: ${finding.severity}: ${finding.message}${pointer} (${finding.tool} ${finding.rule})`;
}

/** Orders findings by file, then position, then rule, so output is stable run to run. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const line = (a.line ?? 0) - (b.line ?? 0);
  if (line !== 0) return line;
  const column = (a.column ?? 0) - (b.column ?? 0);
  if (column !== 0) return column;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
