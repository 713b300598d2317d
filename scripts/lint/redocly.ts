import path from "node:path";
import type { Finding } from "./findings.ts";
import { REDOCLY_BIN, REDOCLY_CONFIG, relativeTo, runTool, tail } from "./tools.ts";

interface RedoclyJson {
  problems: {
    ruleId: string;
    severity: "error" | "warn";
    message: string;
    location: {
      source: { ref: string };
      pointer?: string;
      start?: { line: number; col: number };
    }[];
  }[];
}

/**
 * Lints one document with Redocly CLI: the recommended ruleset plus the house rules in the
 * toolkit's redocly.yaml. Runs in `root`, so Redocly reports files relative to it.
 */
export async function lintWithRedocly(root: string, documentPath: string): Promise<Finding[]> {
  const run = await runTool(
    REDOCLY_BIN,
    ["lint", documentPath, "--config", REDOCLY_CONFIG, "--format=json", "--max-problems=10000"],
    root,
  );
  let parsed: RedoclyJson;
  try {
    parsed = JSON.parse(run.stdout) as RedoclyJson;
  } catch {
    return [
      crash(root, documentPath, `redocly lint did not finish (exit ${run.code}): ${tail(run)}`),
    ];
  }
  const findings = parsed.problems.map((problem): Finding => {
    const location = problem.location[0];
    return {
      tool: "redocly",
      severity: problem.severity === "error" ? "error" : "warning",
      rule: problem.ruleId,
      message: oneLine(problem.message),
      file:
        location === undefined
          ? relativeTo(root, documentPath)
          : relativeTo(root, location.source.ref),
      line: location?.start?.line,
      column: location?.start?.col,
      pointer: location?.pointer,
    };
  });
  if (run.code !== 0 && !findings.some((finding) => finding.severity === "error")) {
    findings.push(
      crash(root, documentPath, `redocly lint failed (exit ${run.code}): ${tail(run)}`),
    );
  }
  return findings;
}

/** Redocly lists several assertion failures as "- " lines; findings are one line each. */
function oneLine(message: string): string {
  return message
    .replace(/:?\s*\n- /, ": ")
    .replaceAll("\n- ", "; ")
    .replaceAll("\n", " ");
}

function crash(root: string, documentPath: string, message: string): Finding {
  return {
    tool: "redocly",
    severity: "error",
    rule: "redocly-run",
    message,
    file: relativeTo(root, path.resolve(root, documentPath)),
  };
}
