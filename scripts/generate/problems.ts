/**
 * A problem that stops generation, located in a source file. Shaped like Redocly's lint
 * problem (findings are data) and rendered to text only at the CLI edge.
 */
export interface Problem {
  /** Repo-relative path of the file at fault. */
  file: string;
  /** 1-based line, or undefined when the problem has no position (e.g. a missing file). */
  line?: number;
  column?: number;
  message: string;
  /** The check that found it: `yaml-syntax`, a Redocly rule id, `emitter:<name>`, ... */
  rule: string;
}

export class GenerateError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "GenerateError";
    this.problems = problems;
  }
}

export function formatProblem(problem: Problem): string {
  const where =
    problem.line === undefined
      ? problem.file
      : `${problem.file}:${problem.line}${problem.column === undefined ? "" : `:${problem.column}`}`;
  return `${where}: error: ${problem.message} (${problem.rule})`;
}
