/**
 * The changelog lines of each dated version, from its version changes: the description, what an
 * integrator must do when rolling forward past it, and the diff findings it answers. The docs
 * landing page (scripts/generate/changelog.ts) renders them under each version.
 */
import type { VersionBundle } from "../../server/versions/change.ts";

export interface VersionChangelogLine {
  id: string;
  description: string;
  breaking: boolean;
}

export function changelogLinesFor(bundle: VersionBundle, version: string): VersionChangelogLine[] {
  const dated = bundle.find((d) => d.version === version);
  if (dated === undefined) return [];
  return dated.changes.map((change) => ({
    id: change.id,
    description: `${change.description} What to do: ${change.migration} (${[
      ...(change.declarations ?? []).map((d) => d.summary),
      ...(change.answers ?? []).map((a) => `wth diff: ${a}`),
    ].join("; ")})`,
    breaking: true,
  }));
}
