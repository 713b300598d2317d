import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Problem } from "./problems.ts";
import { redoclyLint } from "./redocly.ts";

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

/**
 * Lints one version before anything is generated from it, with the lint step of the repository
 * being generated: its `scripts/lint` (in this project Redocly with the house rules, and
 * Spectral), so that `wth generate` and `wth lint` agree; in a repository without one (the test
 * fixtures), Redocly's lint with that repository's redocly.yaml or the recommended rules.
 * Imported at run time and typed structurally, since it belongs to the repository, not to us.
 */
export async function lintStep(
  root: string,
  version: string,
  rootFile: string,
): Promise<LintStepOutcome> {
  const projectLint = path.join(root, "scripts/lint/index.ts");
  if (existsSync(projectLint)) {
    const mod = (await import(pathToFileURL(projectLint).href)) as Partial<ProjectLint>;
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
