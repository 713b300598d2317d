import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Problem } from "./problems.ts";
import { redoclyLint } from "./redocly.ts";
import { TOOL_ROOT } from "./tools.ts";

export interface LintStepOutcome {
  errors: Problem[];
  warnings: Problem[];
}

/** What generate needs from a finding of the project's lint (scripts/lint/findings.ts). */
interface ProjectFinding {
  tool: string;
  rule: string;
  message: string;
  file: string;
  line?: number;
  column?: number;
  pointer?: string;
}

interface ProjectLint {
  lintVersion(options: { root: string; version: string }): Promise<{
    errors: ProjectFinding[];
    warnings: ProjectFinding[];
  }>;
}

const PROJECT_LINT = path.join(TOOL_ROOT, "scripts/lint/index.ts");

/**
 * Lints one version before anything is generated from it, with the project's lint step
 * (`scripts/lint`: Redocly with the house rules, and Spectral) so that `wth generate` and
 * `wth lint` agree. Imported at run time and typed structurally so generate keeps working on
 * its own (falling back to Redocly's recommended rules) in a checkout without scripts/lint.
 */
export async function lintStep(
  root: string,
  version: string,
  rootFile: string,
): Promise<LintStepOutcome> {
  if (existsSync(PROJECT_LINT)) {
    const mod = (await import(pathToFileURL(PROJECT_LINT).href)) as Partial<ProjectLint>;
    if (typeof mod.lintVersion === "function") {
      const result = await mod.lintVersion({ root, version });
      return { errors: result.errors.map(toProblem), warnings: result.warnings.map(toProblem) };
    }
  }
  return redoclyLint(root, rootFile);
}

function toProblem(finding: ProjectFinding): Problem {
  return {
    file: finding.file,
    line: finding.line,
    column: finding.column,
    message: finding.pointer ? `${finding.message} (at ${finding.pointer})` : finding.message,
    rule: `${finding.tool} ${finding.rule}`,
  };
}
