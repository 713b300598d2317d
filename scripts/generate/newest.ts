import { bannerFor } from "./banner.ts";
import { VERSIONS_FILE, type VersionEntry } from "./versions.ts";

export const NEWEST_PATH = "generated/newest.ts";

const identifier = (version: string): string => version.replaceAll("-", "_");

/**
 * `generated/newest.ts`: the types and constants of the newest version (the last one listed,
 * released or not), under one path that does not change when a version is minted. The server
 * imports only this, so after `wth mint` and `wth generate` its handlers are checked against
 * the new document. An operation the newest document removed keeps its handler (older pins
 * still call it): `SERVED_OPERATIONS` and `ServedOperations` hold every version's operations,
 * each from the newest version that has it.
 */
export function renderNewest(entries: readonly VersionEntry[]): string {
  const newest = entries.at(-1)?.version;
  if (newest === undefined) throw new Error(`${VERSIONS_FILE} lists no version`);
  const versions = entries.map((e) => e.version);
  const imports = versions.flatMap((v) => [
    `import type { operations as operations_${identifier(v)} } from "./${v}/types.ts";`,
    `import { OPERATIONS as OPERATIONS_${identifier(v)} } from "./${v}/server.ts";`,
  ]);
  // Newer versions win: Omit<older, keyof newer> & newer, folded from the oldest.
  const served = versions
    .map((v) => `operations_${identifier(v)}`)
    .reduce((older, newer) => `Omit<${older}, keyof ${newer}> & ${newer}`);
  return `/**
 * ${bannerFor(VERSIONS_FILE)}
 */

${imports.join("\n")}

export type * from "./${newest}/types.ts";
export * from "./${newest}/server.ts";

/** The version the server's handlers speak. */
export const NEWEST_VERSION = "${newest}";

/** Every operation some version serves, typed by the newest version that has it. */
export type ServedOperations = ${served};

/** Every operation's route, from the newest version that has it. */
export const SERVED_OPERATIONS = {
${versions.map((v) => `  ...OPERATIONS_${identifier(v)},`).join("\n")}
};
`;
}
