import { existsSync } from "node:fs";
import path from "node:path";
import type { Problem } from "./problems.ts";
import { redoclyLint } from "./redocly.ts";
import { TOOL_ROOT } from "./tools.ts";

export interface LintStepOutcome {
  errors: Problem[];
  warnings: Problem[];
}

/** The shape the project's lint module (scripts/lint/index.ts) is expected to export. */
interface ProjectLint {
  lintVersion(options: { root: string; version: string }): Promise<LintStepOutcome>;
}

/**
 * Lints one version before anything is generated from it. Uses the project's lint step
 * (`scripts/lint/index.ts` exporting `lintVersion`) when it exists, so `wth generate` and
 * `wth lint` agree; otherwise Redocly's lint with the project's redocly.yaml.
 */
export async function lintStep(
  root: string,
  version: string,
  rootFile: string,
): Promise<LintStepOutcome> {
  const projectLint = path.join(TOOL_ROOT, "scripts/lint/index.ts");
  if (existsSync(projectLint)) {
    const mod = (await import(projectLint)) as Partial<ProjectLint>;
    if (typeof mod.lintVersion === "function") return mod.lintVersion({ root, version });
  }
  return redoclyLint(root, rootFile);
}
