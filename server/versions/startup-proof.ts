/**
 * The version proof at start-up, outside production: the same proof `wth check` runs
 * (scripts/versions/proof.ts), so a server never starts serving old pins through converters that
 * nothing has run. It is cached by the content hash of the bundled documents and of
 * server/versions/ (a marker file under .tmp/), so an unchanged tree starts at full speed.
 * Production skips it: the proof's validator is a development dependency, and `wth release`
 * refuses to release without the proof passing.
 */
import fs from "node:fs";
import type { VersionBundle } from "./change.ts";

export class VersionProofError extends Error {}

export async function proveAtStartup(
  root: string,
  bundle: VersionBundle,
): Promise<"cached" | "proved"> {
  const { proofMarker, proveBundled } = await import("../../scripts/versions/check-versions.ts");
  if (fs.existsSync(proofMarker(root))) return "cached";
  // proveBundled leaves the marker when the proof passes (wth check does the same).
  const proof = proveBundled(root, bundle);
  if (!proof.ok) {
    throw new VersionProofError(
      `the version proof fails, so old pins would get the wrong shapes: ${proof.line}; run "wth check" for the culprits`,
    );
  }
  return "proved";
}
