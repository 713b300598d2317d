import path from "node:path";
import { parseArgs } from "node:util";
import { generate } from "../../generate/pipeline.ts";
import { formatProblem, GenerateError } from "../../generate/problems.ts";
import { TOOL_ROOT } from "../../generate/tools.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth generate [--check [--full]] [--version DATE]... [--root DIR]

Turns each dated document in openapi/ (listed in openapi/versions.json) into generated/<date>/
(openapi.json, types.ts, docs/index.html), plus generated/MANIFEST.json and the docs landing
page generated/docs/index.html. Writes atomically: on any error generated/ is left as it was.

  --check         regenerate in memory and list files that differ, are missing or extra;
                  exit 1 if any (0 when generated/ is current)
  --full          do not trust MANIFEST.json hashes: run every generator again
  --version DATE  only this version (repeatable); others are left as they are
  --root DIR      repository to work on (default: this checkout)`;

export const command: Command = {
  summary: "generate bundled documents, types and reference docs (--check in CI)",
  async run(args) {
    let values: {
      check?: boolean;
      full?: boolean;
      version?: string[];
      root?: string;
      help?: boolean;
    };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          check: { type: "boolean" },
          full: { type: "boolean" },
          version: { type: "string", multiple: true },
          root: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
        strict: true,
      }));
    } catch (error) {
      process.stderr.write(`wth generate: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const root = path.resolve(values.root ?? TOOL_ROOT);
    const mode = values.check ? "check" : "write";
    try {
      const result = await generate({
        root,
        mode,
        full: values.full === true,
        only: values.version,
        log: (line) => process.stderr.write(`generate: ${line}\n`),
      });
      if (result.warnings.length > 0) {
        process.stderr.write(
          `generate: ${result.warnings.length} lint warning(s); run "wth lint" to see them\n`,
        );
      }
      if (mode === "check") {
        if (result.differences.length === 0) {
          process.stdout.write("generated/ is up to date\n");
          return 0;
        }
        for (const d of result.differences) {
          const what =
            d.kind === "differs"
              ? "differs from what generation produces"
              : d.kind === "missing"
                ? "missing (generation produces it)"
                : "extra (generation does not produce it)";
          process.stdout.write(`${d.path}: ${what}\n`);
        }
        process.stdout.write(`generated/ is stale: run "wth generate" and commit generated/\n`);
        return 1;
      }
      process.stdout.write(
        result.differences.length === 0
          ? "generated/ already up to date; nothing written\n"
          : `updated generated/ (${result.differences.length} file(s) changed)\n`,
      );
      return 0;
    } catch (error) {
      if (error instanceof GenerateError) {
        for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
        process.stderr.write(`wth generate: failed; generated/ was not changed\n`);
        return 1;
      }
      throw error;
    }
  },
};
