/**
 * The version-change seam. Handlers know only the newest version; an older pinned version is
 * reached by running the named version changes of `changes/`: requests up (pinned → newest),
 * responses, webhook payloads and error bodies down (newest → pinned). The server calls these
 * functions and nothing else of this folder; with no changes they are the identity.
 */

import fs from "node:fs";
import path from "node:path";
import { versionBundle } from "./changes/index.ts";
import { createConverter } from "./convert.ts";
import { readVersionEntries, repoRoot } from "./registry.ts";

export type { ErrorBody, JsonObject, VersionBundle, VersionChange } from "./change.ts";
export { defineVersionChange } from "./change.ts";

/** The bundled documents the converters (and the webhook check) read their schema graphs from, loaded on first use. */
const documents = new Map<string, Record<string, unknown> | undefined>();
export function bundledDocument(version: string): Record<string, unknown> | undefined {
  if (!documents.has(version)) {
    const file = path.join(repoRoot, "generated", version, "openapi.json");
    documents.set(
      version,
      fs.existsSync(file)
        ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>)
        : undefined,
    );
  }
  return documents.get(version);
}

const converter = createConverter(
  versionBundle,
  bundledDocument,
  readVersionEntries().map((e) => e.version),
);

/** Renders a newest-version object (`schemaName` as in the document) for `version`. */
export const renderForVersion = converter.renderForVersion;

/** Whether renderForVersion would change any `schemaName` object for `version`. */
export const rendersDifferently = converter.rendersDifferently;

/** Upgrades a request body sent by an integration pinned to `version` to the newest shape. */
export const upgradeRequest = converter.upgradeRequest;

/** Renders a newest-version error body for `version`. */
export const renderErrorForVersion = converter.renderErrorForVersion;

/** Compiles every conversion of an older version up front (start-up), failing loudly. */
export const prepareConversions = converter.prepare;

/** The bundle the server runs: dated versions after the first and their changes. */
export const versionChanges = versionBundle;
export { mapValue, renameField, replaceField, withDefault } from "./fields.ts";
