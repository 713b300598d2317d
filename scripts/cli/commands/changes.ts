import path from "node:path";
import { scaffoldChanges } from "../../versions/scaffold.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth changes scaffold <YYYY-MM-DD> [--root <dir>]
  writes server/versions/changes/<date>/<id>.ts declarations for every breaking finding of
  "wth diff <previous> <date>" that no version change answers yet (review them, then wth check)`;

export const command: Command = {
  summary: "scaffold the version-change declarations the diff's findings imply",
  async run(args) {
    let root = path.resolve(import.meta.dirname, "..", "..", "..");
    const operands: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg === "--root") root = path.resolve(args[++i] ?? ".");
      else if (arg === "--help" || arg === "-h") {
        process.stdout.write(`${USAGE}\n`);
        return 0;
      } else operands.push(arg);
    }
    const [verb, date] = operands;
    if (verb !== "scaffold" || date === undefined || operands.length !== 2) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    // The bundle of the repository being scaffolded, not necessarily this CLI's own.
    const { versionBundle } = (await import(
      path.join(root, "server", "versions", "changes", "index.ts")
    )) as typeof import("../../../server/versions/changes/index.ts");
    const result = await scaffoldChanges(root, versionBundle, date);
    for (const w of result.written) process.stdout.write(`wrote   ${w}\n`);
    for (const m of result.manual) process.stdout.write(`by hand ${m}\n`);
    if (result.written.length === 0 && result.manual.length === 0) {
      process.stdout.write(`nothing to scaffold: every breaking finding of ${date} is declared\n`);
    } else {
      process.stdout.write(`review the files, then: wth generate && wth check\n`);
    }
    return result.manual.length > 0 ? 1 : 0;
  },
};
