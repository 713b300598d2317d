import { versionBundle } from "../../server/versions/changes/index.ts";
import { changelogLinesFor } from "../versions/changelog.ts";
import type { VersionEntry } from "./versions.ts";

/** One line of a version's changelog (a breaking change's description, or a note). */
export interface ChangelogChange {
  /** Stable id, e.g. a version change's name; rendered as an anchor. */
  id: string;
  description: string;
  breaking: boolean;
}

/** What the landing page shows for one version. */
export interface ChangelogEntry {
  version: string;
  status: VersionEntry["status"];
  releasedAt: string | null;
  changes: ChangelogChange[];
}

/**
 * The changelog, newest version first. Today it is the registry alone; the versioning work adds
 * each version's changes here (e.g. from its version-change descriptions), and the landing page
 * renders whatever it is given.
 */
export async function collectChangelog(
  entries: readonly VersionEntry[],
): Promise<ChangelogEntry[]> {
  return [...entries].reverse().map((entry) => ({
    version: entry.version,
    status: entry.status,
    releasedAt: entry.released_at,
    // Each breaking change since the previous version, from its version change.
    changes: changelogLinesFor(versionBundle, entry.version),
  }));
}
