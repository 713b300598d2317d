/**
 * The version bundle: each dated version after the first, with the version changes it
 * introduced. `wth mint <date>` adds an import and an entry between the markers below; a
 * version's changes live in `./<date>/index.ts`, one file per change.
 */
import type { VersionBundle } from "../change.ts";
// wth:mint:imports (wth mint adds a line here)

export const versionBundle: VersionBundle = [
  // wth:mint:entries (wth mint adds a line here)
];
