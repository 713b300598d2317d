import { type DiffResult, DocumentReadError, diffSources } from "../../diff/diff.ts";
import { type Format, render } from "../../diff/render.ts";
import { rules } from "../../diff/rules/index.ts";
import { levelOf } from "../../diff/types.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth diff <base> <revision> [--format text|json|markdown|github] [--breaking-only] [--timings]
       wth diff --rules
  each side: a dated version (2026-05-07), a file path, or git:<ref>:<path or date>
  exit 0: nothing breaking; 1: breaking findings; 2: a document could not be read`;

export const command: Command = {
  summary: "classify every difference between two OpenAPI documents as breaking or not",
  async run(args) {
    const operands: string[] = [];
    let format: Format = "text";
    let breakingOnly = false;
    let timings: Record<string, number> | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg === "--format") {
        const value = args[++i];
        if (
          value !== "text" &&
          value !== "json" &&
          value !== "md" &&
          value !== "markdown" &&
          value !== "github"
        ) {
          process.stderr.write(
            `wth diff: --format must be text, json, markdown (md) or github\n${USAGE}\n`,
          );
          return 2;
        }
        format = value;
      } else if (arg.startsWith("--format=")) {
        args.splice(i + 1, 0, arg.slice("--format=".length));
        args[i] = "--format";
        i--;
      } else if (arg === "--breaking-only") breakingOnly = true;
      else if (arg === "--timings") timings = {};
      else if (arg === "--rules") {
        for (const r of rules)
          process.stdout.write(
            `${r.id.padEnd(42)}${levelOf(r).padEnd(8)}${r.breaking ? "breaking " : "         "}${r.summary}\n`,
          );
        return 0;
      } else if (arg === "--help" || arg === "-h") {
        process.stdout.write(`${USAGE}\n`);
        return 0;
      } else operands.push(arg);
    }
    if (operands.length !== 2) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    let result: DiffResult;
    try {
      result = await diffSources(
        operands[0] as string,
        operands[1] as string,
        process.cwd(),
        timings,
      );
    } catch (error) {
      if (error instanceof DocumentReadError) {
        process.stderr.write(`wth diff: cannot read ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    const shown = breakingOnly
      ? { ...result, findings: result.findings.filter((f) => f.breaking) }
      : result;
    process.stdout.write(render(shown, format));
    if (timings !== undefined)
      process.stderr.write(
        `timings: ${Object.entries(timings)
          .map(([family, ms]) => `${family} ${Math.round(ms)} ms`)
          .join(", ")}\n`,
      );
    return result.breaking > 0 ? 1 : 0;
  },
};
