/**
 * What `wth check` adds for versioning: for each version after the first, every breaking finding
 * of `wth diff <previous> <date>` must be answered by a version change (THE GUARANTEE: no version
 * can be released with an uncovered breaking change), every non-breaking addition must have
 * reached the older documents, and the version-change chain must check against the documents.
 */

import fs from "node:fs";
import path from "node:path";
import { chainProblems } from "../../server/versions/chain.ts";
import type { VersionBundle } from "../../server/versions/change.ts";
import { loadVersionRegistry, readVersionEntries } from "../../server/versions/registry.ts";
import { checkCoverage, coverageOk, renderCoverage } from "./coverage.ts";
import { proofHash, proveVersions, renderProof } from "./proof.ts";

/** The file whose presence says the proof passed for this exact content (dev start-up cache). */
export function proofMarker(root: string): string {
  const versions = readVersionEntries(root);
  return path.join(root, ".tmp", "version-proof", proofHash(root, versions));
}

import { readRegistry } from "./registry-file.ts";

export interface VersionCheck {
  ok: boolean;
  report: string;
}

export async function checkVersionChanges(
  root: string,
  bundle: VersionBundle,
): Promise<VersionCheck> {
  const lines: string[] = [];
  let ok = true;
  const records = readRegistry(root);
  if (records.length > 1) {
    lines.push(
      "guarantee: every breaking change since the previous version is answered by a version change",
    );
  }
  for (const c of await checkCoverage(root, bundle)) {
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
  let documentsLoaded = false;
  try {
    const registry = loadVersionRegistry({ root, bundle: [] });
    const versions = registry.entries.map((e) => {
      try {
        return { version: e.version, document: registry.document(e.version) };
      } catch {
        return { version: e.version, document: undefined };
      }
    });
    documentsLoaded = versions.every((v) => v.document !== undefined);
    problems = chainProblems(bundle, versions);
  } catch (error) {
    problems = [(error as Error).message];
  }
  if (problems.length > 0) {
    ok = false;
    lines.push("FAIL version-change chain (server/versions/changes/):");
    for (const p of problems) lines.push(`     ${p}`);
    // A chain problem such as a converter keyed by a misspelled schema names the key; the proof
    // then shows what it leaves wrong (the pointer and the example), as long as it can run.
    if (!documentsLoaded) return { ok, report: lines.join("\n") };
  }
  const proof = proveBundled(root, bundle);
  ok &&= proof.ok;
  lines.push(proof.line);
  if (!proof.ok) lines.push(proof.report.replace(/^/gm, "     "));
  return { ok, report: lines.join("\n") };
}

/**
 * The proof (scripts/versions/proof.ts) over the bundled documents: every version older than
 * the newest, converted down and up, validated against the documents.
 */
export function proveBundled(
  root: string,
  bundle: VersionBundle,
): { ok: boolean; line: string; report: string } {
  const registry = loadVersionRegistry({ root, bundle: [] });
  const versions = registry.entries.map((e) => ({
    version: e.version,
    document: registry.document(e.version),
  }));
  if (versions.length < 2) {
    return { ok: true, line: "ok   proof: one version, nothing to convert", report: "" };
  }
  try {
    const proof = proveVersions({ versions, bundle });
    const older = versions.length - 1;
    if (proof.ok) {
      const marker = proofMarker(root);
      fs.mkdirSync(path.dirname(marker), { recursive: true });
      fs.writeFileSync(marker, `${proof.checked} instance(s) proved\n`);
    }
    return {
      ok: proof.ok,
      line: `${proof.ok ? "ok  " : "FAIL"} proof: ${proof.checked} example(s) and generated instance(s) converted between ${versions.at(-1)?.version} and ${older} older version(s)`,
      report: renderProof(proof),
    };
  } catch (error) {
    return { ok: false, line: `FAIL proof: ${(error as Error).message}`, report: "" };
  }
}
