/**
 * The version-change seam. Handlers know only the newest version; an older pinned version is
 * reached by running named version changes: requests up (pinned → newest), responses and event
 * payloads down (newest → pinned). With one released version there are no changes yet, so
 * both directions are the identity, but every response and webhook payload already flows
 * through here so that adding a version touches only this folder.
 */

export type JsonObject = Record<string, unknown>;

export interface VersionChange {
  /** The changelog line. */
  description: string;
  /** Converts a request body of the version before this change into the shape after it. */
  upgradeRequest?(operationId: string, body: JsonObject): JsonObject;
  /** Converts an object of the version after this change into the shape before it. */
  downgradeObject?(schemaName: string, object: JsonObject): JsonObject;
}

/** Version date → the changes that version introduced. Empty while 2026-05-07 is the only one. */
export const versionChanges: ReadonlyArray<{ version: string; changes: VersionChange[] }> = [];

function changesAfter(version: string): VersionChange[] {
  return versionChanges.filter((v) => v.version > version).flatMap((v) => v.changes);
}

/** Renders a newest-version object (`schemaName` as in the document) for `version`. */
export function renderForVersion<T extends JsonObject>(
  version: string,
  schemaName: string,
  newestObject: T,
): JsonObject {
  let object: JsonObject = newestObject;
  for (const change of changesAfter(version).reverse()) {
    if (change.downgradeObject !== undefined) object = change.downgradeObject(schemaName, object);
  }
  return object;
}

/** Upgrades a request body sent by an integration pinned to `version` to the newest shape. */
export function upgradeRequest(version: string, operationId: string, body: JsonObject): JsonObject {
  let out = body;
  for (const change of changesAfter(version)) {
    if (change.upgradeRequest !== undefined) out = change.upgradeRequest(operationId, out);
  }
  return out;
}
