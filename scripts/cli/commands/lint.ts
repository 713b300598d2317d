import path from "node:path";
import { parseArgs } from "node:util";
import { VERSIONS_FILE } from "../../../server/versions/registry.ts";
import { formatFinding, lintVersion, listedVersions, type VersionLint } from "../../lint/index.ts";
import { TOOL_ROOT } from "../../lint/tools.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth lint [--version DATE]... [--root DIR] [--format text|json]

Lints each dated document listed in openapi/versions.json (or only the --version given) with
Redocly CLI (recommended rules + the house rules in redocly.yaml) and Spectral (spectral:oas,
.spectral.yaml). Prints every problem with its file and line; exits 1 on any error or warning.

  --version DATE  lint only this version (repeatable)
  --root DIR      checkout to lint (default: this one); the lint configuration is always this
                  toolkit's
  --format json   print the findings as JSON instead of text`;

export const command: Command = {
  summary: "lint the OpenAPI documents with Redocly and Spectral (zero errors, zero warnings)",
  async run(args) {
    let values: { version?: string[]; root?: string; format?: string; help?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          version: { type: "string", multiple: true },
          root: { type: "string" },
          format: { type: "string", default: "text" },
          help: { type: "boolean", short: "h" },
        },
        strict: true,
      }));
    } catch (error) {
      process.stderr.write(`wth lint: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (values.format !== "text" && values.format !== "json") {
      process.stderr.write(`wth lint: --format must be text or json\n${USAGE}\n`);
      return 2;
    }
    const root = path.resolve(values.root ?? TOOL_ROOT);
    let versions: string[];
    try {
      const listed = await listedVersions(root);
      versions = values.version ?? listed;
      const unknown = versions.filter((version) => !listed.includes(version));
      if (unknown.length > 0) {
        process.stderr.write(`wth lint: not in ${VERSIONS_FILE}: ${unknown.join(", ")}\n`);
        return 2;
      }
    } catch (error) {
      process.stderr.write(`wth lint: ${(error as Error).message}\n`);
      return 2;
    }

    // One version at a time: each already runs two linters side by side on a shared machine.
    const results: VersionLint[] = [];
    for (const version of versions) results.push(await lintVersion({ root, version }));

    if (values.format === "json") {
      process.stdout.write(`${JSON.stringify({ versions: results }, null, 2)}\n`);
    } else {
      for (const result of results) {
        for (const finding of [...result.errors, ...result.warnings, ...result.notes]) {
          process.stdout.write(`${formatFinding(finding)}\n`);
        }
        process.stdout.write(
          `${result.version}: ${result.errors.length} error(s), ${result.warnings.length} warning(s)\n`,
        );
      }
    }
    return results.some((result) => result.errors.length > 0 || result.warnings.length > 0) ? 1 : 0;
  },
};
