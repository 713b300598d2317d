import { spawn } from "node:child_process";
import path from "node:path";
import type { Problem } from "./problems.ts";
import { PIPELINE_REDOCLY_CONFIG, REDOCLY_CLI_BIN } from "./tools.ts";

/**
 * Redocly CLI runs as a child process: @redocly/cli ships as a bundle without a programmatic
 * API, and the installed @redocly/openapi-core belongs to openapi-typescript (a different major),
 * so the CLI is the one Redocly whose version we pin and record.
 */
interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runRedocly(args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [REDOCLY_CLI_BIN, ...args], {
      cwd,
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: "off",
        REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
        NO_UPDATE_NOTIFIER: "1",
        NO_COLOR: "1",
        FORCE_COLOR: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** Drops the boxed Node 20 deprecation banner and blank lines from Redocly's chatter. */
function meaningfulLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "" && !/^\s*[║╔╚]/.test(line));
}

interface LintJson {
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

export interface LintOutcome {
  errors: Problem[];
  warnings: Problem[];
}

/**
 * Lints with the project's Redocly configuration (redocly.yaml at the root, if any; Redocly's
 * recommended rules otherwise). Problems come back repo-relative with their line.
 */
export async function redoclyLint(root: string, rootFile: string): Promise<LintOutcome> {
  const result = await runRedocly(["lint", rootFile, "--format=json", "--max-problems=1000"], root);
  let parsed: LintJson;
  try {
    parsed = JSON.parse(result.stdout) as LintJson;
  } catch {
    return { errors: [failureProblem(rootFile, "lint", result)], warnings: [] };
  }
  const outcome: LintOutcome = { errors: [], warnings: [] };
  for (const problem of parsed.problems) {
    const location = problem.location[0];
    const file = location === undefined ? rootFile : repoRelative(root, location.source.ref);
    const entry: Problem = {
      file,
      line: location?.start?.line,
      column: location?.start?.col,
      message: location?.pointer ? `${problem.message} (at ${location.pointer})` : problem.message,
      rule: problem.ruleId,
    };
    (problem.severity === "error" ? outcome.errors : outcome.warnings).push(entry);
  }
  if (result.code !== 0 && outcome.errors.length === 0) {
    outcome.errors.push(failureProblem(rootFile, "lint", result));
  }
  return outcome;
}

/** Bundles to a JSON file; `dereferenced` inlines every `$ref`, internal ones included. */
export async function redoclyBundle(
  root: string,
  rootFile: string,
  outFile: string,
  dereferenced: boolean,
): Promise<Problem | undefined> {
  const args = ["bundle", rootFile, "--ext", "json", "-o", outFile];
  if (dereferenced) args.push("--dereferenced");
  args.push("--config", PIPELINE_REDOCLY_CONFIG, "--lint-config", "off");
  const result = await runRedocly(args, root);
  return result.code === 0 ? undefined : failureProblem(rootFile, "bundle", result);
}

/**
 * Builds the self-contained reference page (Redoc inlined). `optionsFile` is a JSON file of
 * Redoc options (build-docs reads `--openapi` as a file; nested options such as
 * `codeSamples.languages` cannot be given as flags); it must set `disableTelemetry`.
 */
export async function redoclyBuildDocs(
  cwd: string,
  inputFile: string,
  templateFile: string,
  outFile: string,
  optionsFile: string,
): Promise<RunResult> {
  return runRedocly(
    [
      "build-docs",
      inputFile,
      "--inlineBundle",
      `--openapi=${optionsFile}`,
      "-t",
      templateFile,
      "-o",
      outFile,
      "--config",
      PIPELINE_REDOCLY_CONFIG,
      "--lint-config",
      "off",
    ],
    cwd,
  );
}

function failureProblem(file: string, step: string, result: RunResult): Problem {
  const lines = meaningfulLines(`${result.stderr}\n${result.stdout}`);
  // Redocly prints "<file>:<line>:<col>" for located errors; surface the first such location.
  const located = lines.find((line) => /:\d+:\d+/.test(line));
  const match = located?.match(/(\S+?):(\d+):(\d+)/);
  return {
    file: match?.[1] ?? file,
    line: match ? Number(match[2]) : undefined,
    column: match ? Number(match[3]) : undefined,
    message: `redocly ${step} failed: ${lines.slice(-12).join(" | ")}`,
    rule: `redocly-${step}`,
  };
}

function repoRelative(root: string, ref: string): string {
  return path.relative(root, path.resolve(root, ref)).split(path.sep).join("/");
}
