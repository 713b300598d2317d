import path from "node:path";
import { mintVersion, nextSteps } from "../../versions/mint.ts";
import { VersionCommandError } from "../../versions/registry-file.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth mint <YYYY-MM-DD> [--root <dir>]
  creates openapi/<date>/ from the newest version, scaffolds server/versions/changes/<date>/,
  and registers the version as unreleased`;

export const command: Command = {
  summary: "start a new dated version (copy the newest document, scaffold its changes)",
  async run(args) {
    let root = path.resolve(import.meta.dirname, "..", "..", "..");
    let date: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg === "--root") root = path.resolve(args[++i] ?? ".");
      else if (arg === "--help" || arg === "-h") {
        process.stdout.write(`${USAGE}\n`);
        return 0;
      } else if (date === undefined && !arg.startsWith("-")) date = arg;
      else {
        process.stderr.write(`${USAGE}\n`);
        return 2;
      }
    }
    if (date === undefined) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    try {
      process.stdout.write(nextSteps(mintVersion(root, date)));
      return 0;
    } catch (error) {
      if (error instanceof VersionCommandError) {
        process.stderr.write(`wth mint: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
