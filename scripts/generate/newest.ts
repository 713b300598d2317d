import { bannerFor } from "./banner.ts";
import { VERSIONS_FILE, type VersionEntry } from "./versions.ts";

export const NEWEST_PATH = "generated/newest.ts";

/**
 * `generated/newest.ts`: the types and constants of the newest version (the last one listed,
 * released or not), under one path that does not change when a version is minted. The server
 * imports only this, so after `wth mint` and `wth generate` its handlers are checked against
 * the new document.
 */
export function renderNewest(entries: VersionEntry[]): string {
  const newest = entries.at(-1)?.version;
  if (newest === undefined) throw new Error(`${VERSIONS_FILE} lists no version`);
  return `/**
 * ${bannerFor(VERSIONS_FILE)}
 */

export type * from "./${newest}/types.ts";
export * from "./${newest}/server.ts";

/** The version the server's handlers speak. */
export const NEWEST_VERSION = "${newest}";
`;
}
