/**
 * What `wth check` adds for versioning: for each version after the first, every breaking finding
 * of `wth diff <previous> <date>` must be answered by a version change (THE GUARANTEE: no version
 * can be released with an uncovered breaking change), every non-breaking addition must have
 * reached the older documents, and the version-change chain must check against the documents.
 */

import { chainProblems } from "../../server/versions/chain.ts";
import type { VersionBundle } from "../../server/versions/change.ts";
import { loadVersionRegistry } from "../../server/versions/registry.ts";
import { checkCoverage, coverageOk, renderCoverage } from "./coverage.ts";
import { readRegistry } from "./registry-file.ts";

export interface VersionCheck {
  ok: boolean;
  report: string;
}

export function checkVersionChanges(root: string, bundle: VersionBundle): VersionCheck {
  const lines: string[] = [];
  let ok = true;
  const records = readRegistry(root);
  if (records.length > 1) {
    lines.push(
      "guarantee: every breaking change since the previous version is answered by a version change",
    );
  }
  for (const c of checkCoverage(root, bundle)) {
    const good = coverageOk(c);
    ok &&= good;
    const changes = bundle.find((d) => d.version === c.version)?.changes.length ?? 0;
    lines.push(
      `${good ? "ok  " : "FAIL"} ${c.version} vs ${c.previous}: ${c.diff.breaking} breaking finding(s), ${changes} version change(s)`,
    );
    if (!good) lines.push(renderCoverage(c).replace(/^/gm, "     "));
  }
  // The chain needs the bundled documents; without them start-up would fail the same way.
  let problems: string[];
  try {
    const registry = loadVersionRegistry({ root, bundle: [] });
    problems = chainProblems(
      bundle,
      registry.entries.map((e) => {
        try {
          return { version: e.version, document: registry.document(e.version) };
        } catch {
          return { version: e.version, document: undefined };
        }
      }),
    );
  } catch (error) {
    problems = [(error as Error).message];
  }
  if (problems.length > 0) {
    ok = false;
    lines.push("FAIL version-change chain (server/versions/changes/):");
    for (const p of problems) lines.push(`     ${p}`);
  }
  return { ok, report: lines.join("\n") };
}
