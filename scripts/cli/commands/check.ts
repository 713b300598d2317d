import { versionBundle } from "../../../server/versions/changes/index.ts";
import { VersionRegistryError } from "../../../server/versions/registry.ts";
import { DocumentReadError, repoRoot } from "../../diff/load.ts";
import { checkReleasedVersions, writeReleaseSnapshot } from "../../diff/released.ts";
import { renderText } from "../../diff/render.ts";
import { checkVersionChanges } from "../../versions/check-versions.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth check [--root <dir>]
       wth check --write-snapshot <date> [--root <dir>]
  fails (exit 1) when a released version's document changed in a breaking way since its
  release, has no release snapshot, or its snapshot was edited; exit 2 when a file is unreadable`;

export const command: Command = {
  summary: "fail when a released version's document changed in a breaking way",
  async run(args) {
    let root: string | undefined;
    let snapshot: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === "--root") root = args[++i];
      else if (arg === "--write-snapshot") snapshot = args[++i];
      else {
        process.stderr.write(`${USAGE}\n`);
        return arg === "--help" || arg === "-h" ? 0 : 2;
      }
    }
    try {
      if (snapshot !== undefined) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(snapshot)) {
          process.stderr.write(`wth check: --write-snapshot needs a date (YYYY-MM-DD)\n`);
          return 2;
        }
        const written = await writeReleaseSnapshot(snapshot, root);
        process.stdout.write(`wrote ${written}; commit it with the release\n`);
        return 0;
      }
      const checks = await checkReleasedVersions(root);
      if (checks.length === 0) {
        process.stdout.write(
          "wth check: no released versions in openapi/versions.json; nothing to guard\n",
        );
        return 0;
      }
      for (const c of checks) {
        const changes =
          c.result === undefined
            ? ""
            : ` (${c.result.nonBreaking} non-breaking change${c.result.nonBreaking === 1 ? "" : "s"} since release)`;
        process.stdout.write(`${c.ok ? "ok  " : "FAIL"} ${c.version}${changes}\n`);
        for (const n of c.notes) process.stdout.write(`     note: ${n}\n`);
        for (const a of c.acknowledged) process.stdout.write(`     acknowledged: ${a}\n`);
        for (const p of c.problems) process.stdout.write(`     ${p}\n`);
        if (c.result !== undefined && c.result.breaking > 0) {
          const breaking = { ...c.result, findings: c.result.findings.filter((f) => f.breaking) };
          process.stdout.write(`\n${renderText(breaking)}\n`);
        }
      }
      // Versioning: uncovered breaking changes, unported additions, the change chain.
      const versioning = await checkVersionChanges(root ?? repoRoot, versionBundle);
      if (versioning.report !== "") process.stdout.write(`${versioning.report}\n`);
      return checks.every((c) => c.ok) && versioning.ok ? 0 : 1;
    } catch (error) {
      if (error instanceof VersionRegistryError) {
        process.stderr.write(`wth check: ${error.message}\n`);
        return 2;
      }
      if (error instanceof DocumentReadError) {
        process.stderr.write(`wth check: cannot read ${error.message}\n`);
        return 2;
      }
      if (error instanceof Error && /already exists/.test(error.message)) {
        process.stderr.write(`wth check: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
