import path from "node:path";
import { versionBundle } from "../../../server/versions/changes/index.ts";
import { applyAdditions } from "../../versions/additive.ts";
import { VersionCommandError } from "../../versions/registry-file.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth additive apply <YYYY-MM-DD> [--root <dir>]
  ports the non-breaking additions of <date> (new response or optional request fields, new
  endpoints, new event types) into every older version's document`;

export const command: Command = {
  summary: "port a version's non-breaking additions into every older document",
  async run(args) {
    let root = path.resolve(import.meta.dirname, "..", "..", "..");
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg === "--root") root = path.resolve(args[++i] ?? ".");
      else if (arg === "--help" || arg === "-h") {
        process.stdout.write(`${USAGE}\n`);
        return 0;
      } else rest.push(arg);
    }
    const [action, date] = rest;
    if (action !== "apply" || date === undefined || rest.length !== 2) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    try {
      const r = await applyAdditions(root, versionBundle, date);
      for (const line of r.ported) process.stdout.write(`ported  ${line}\n`);
      for (const line of r.manual) process.stdout.write(`BY HAND ${line}\n`);
      if (r.ported.length === 0 && r.manual.length === 0) {
        process.stdout.write(`nothing to port: every older document has ${date}'s additions\n`);
      } else if (r.ported.length > 0) {
        process.stdout.write("next: wth generate && wth check\n");
      }
      return r.manual.length === 0 ? 0 : 1;
    } catch (error) {
      if (error instanceof VersionCommandError) {
        process.stderr.write(`wth additive: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
