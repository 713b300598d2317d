import type { Finding, Severity } from "./findings.ts";
import { relativeTo, runTool, SPECTRAL_BIN, SPECTRAL_RULESET, tail } from "./tools.ts";

interface SpectralResult {
  code: string | number;
  message: string;
  path: (string | number)[];
  /** 0 error, 1 warning, 2 information, 3 hint. */
  severity: number;
  source?: string;
  range: { start: { line: number; character: number } };
}

const SEVERITIES: Severity[] = ["error", "warning", "info", "info"];

/** Lints one document with Spectral CLI and the toolkit's .spectral.yaml (`spectral:oas`). */
export async function lintWithSpectral(root: string, documentPath: string): Promise<Finding[]> {
  const run = await runTool(
    SPECTRAL_BIN,
    ["lint", documentPath, "--ruleset", SPECTRAL_RULESET, "--format", "json", "--quiet"],
    root,
  );
  let parsed: SpectralResult[];
  try {
    parsed = JSON.parse(run.stdout) as SpectralResult[];
    if (!Array.isArray(parsed)) throw new Error("not an array");
  } catch {
    return [
      {
        tool: "spectral",
        severity: "error",
        rule: "spectral-run",
        message: `spectral lint did not finish (exit ${run.code}): ${tail(run)}`,
        file: relativeTo(root, documentPath),
      },
    ];
  }
  return parsed.map(
    (result): Finding => ({
      tool: "spectral",
      severity: SEVERITIES[result.severity] ?? "error",
      rule: String(result.code),
      message: result.message,
      file: relativeTo(root, result.source ?? documentPath),
      // Spectral counts lines and characters from 0.
      line: result.range.start.line + 1,
      column: result.range.start.character + 1,
      pointer: result.path.length > 0 ? `#/${result.path.map(escapePointer).join("/")}` : undefined,
    }),
  );
}

function escapePointer(segment: string | number): string {
  return String(segment).replaceAll("~", "~0").replaceAll("/", "~1");
}
