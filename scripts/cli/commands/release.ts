import path from "node:path";
import { versionBundle } from "../../../server/versions/changes/index.ts";
import { VersionCommandError } from "../../versions/registry-file.ts";
import { releaseVersion } from "../../versions/release.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth release <YYYY-MM-DD> [--on YYYY-MM-DD] [--root <dir>]
  marks an unreleased version released (new integrations pin to it) and writes its release
  snapshot; refuses while a breaking change is answered by no version change`;

export const command: Command = {
  summary: "release a minted version: new integrations pin to it, wth check guards it",
  async run(args) {
    let root = path.resolve(import.meta.dirname, "..", "..", "..");
    let date: string | undefined;
    let on = new Date().toISOString().slice(0, 10);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg === "--root") root = path.resolve(args[++i] ?? ".");
      else if (arg === "--on") on = args[++i] ?? "";
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
      const r = await releaseVersion(root, versionBundle, date, on);
      process.stdout.write(
        `Released ${r.version} on ${r.releasedAt}: new integrations pin to it from now on.
Froze ${r.snapshot}; wth check guards ${r.version} from now on.
Next: wth generate (the landing page marks ${r.version} current), commit, and roll
integrations forward on request: wth integrations roll --id <int_…> --to ${r.version}
`,
      );
      return 0;
    } catch (error) {
      if (error instanceof VersionCommandError) {
        process.stderr.write(`wth release: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
