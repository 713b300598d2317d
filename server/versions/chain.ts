/**
 * Start-up checks of the version bundle against the registered versions and their documents,
 * after Cadwyn's VersionBundle checks. Every message names the culprit (the date, the change id,
 * the converter key) so that a broken chain is fixed without a debugger.
 */
import type { VersionBundle, VersionChange } from "./change.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CHANGE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface ChainVersion {
  version: string;
  /** The bundled document (`generated/<date>/openapi.json`), when one exists. */
  document: Record<string, unknown> | undefined;
}

export class VersionChainError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `the version-change chain (server/versions/changes/) is broken:\n  - ${problems.join("\n  - ")}`,
    );
  }
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every operationId of a bundled document. */
export function operationIdsOf(doc: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  const paths = (doc.paths ?? {}) as Record<string, Record<string, { operationId?: unknown }>>;
  for (const item of Object.values(paths)) {
    for (const method of METHODS) {
      const id = item?.[method]?.operationId;
      if (typeof id === "string") ids.add(id);
    }
  }
  return ids;
}

/** Every schema name of a bundled document's `components.schemas`. */
export function schemaNamesOf(doc: Record<string, unknown>): Set<string> {
  const components = (doc.components ?? {}) as { schemas?: Record<string, unknown> };
  return new Set(Object.keys(components.schemas ?? {}));
}

/** Lists every problem of the chain; empty when it is sound. */
export function chainProblems(bundle: VersionBundle, versions: readonly ChainVersion[]): string[] {
  const problems: string[] = [];
  const known = versions.map((v) => v.version);
  const owner = new Map<VersionChange, string>();
  const ids = new Map<string, string>();
  let previousDate: string | undefined;

  for (const dated of bundle) {
    const date = dated.version;
    if (!DATE.test(date)) {
      problems.push(`${JSON.stringify(date)} is not a YYYY-MM-DD date`);
      continue;
    }
    if (previousDate !== undefined && date <= previousDate) {
      problems.push(
        `${date} comes after ${previousDate} in the bundle: dates must be listed oldest first, each once`,
      );
    }
    previousDate = date;
    const index = known.indexOf(date);
    if (index === -1) {
      problems.push(`${date} has version changes but is not a version in openapi/versions.json`);
      continue;
    }
    if (index === 0) {
      problems.push(
        `${date} is the first version and has version changes: there is no older version to convert to`,
      );
      continue;
    }
    const newer = versions[index]?.document;
    const older = versions[index - 1]?.document;
    const olderDate = known[index - 1] as string;
    if (newer === undefined || older === undefined) {
      const missing = newer === undefined ? date : olderDate;
      problems.push(
        `${date}: no bundled document for ${missing} (generated/${missing}/openapi.json): run "wth generate"`,
      );
    }
    const olderOps = older === undefined ? undefined : operationIdsOf(older);
    const olderSchemas = older === undefined ? undefined : schemaNamesOf(older);
    const newerSchemas = newer === undefined ? undefined : schemaNamesOf(newer);

    for (const change of dated.changes) {
      const name = `version change "${change.id}" (${date})`;
      if (!CHANGE_ID.test(change.id)) {
        problems.push(`${name}: the id must be lower-case words joined by "-", like its file name`);
      }
      const attached = owner.get(change);
      if (attached !== undefined) {
        problems.push(`${name} is attached to ${attached} too: a change belongs to one version`);
      } else {
        owner.set(change, date);
      }
      const sameId = ids.get(change.id);
      if (sameId !== undefined && attached === undefined) {
        problems.push(`${name}: another change in ${sameId} has the same id`);
      }
      ids.set(change.id, date);
      if (change.description.trim() === "") problems.push(`${name} has no description`);
      const declared = change.declarations?.length ?? 0;
      if ((change.answers?.length ?? 0) + declared === 0) {
        problems.push(
          `${name} declares nothing and answers no diff finding: add declarations (docs/minting.md)`,
        );
      }
      const hasConverter =
        Object.keys(change.request ?? {}).length +
          Object.keys(change.requestSchema ?? {}).length +
          Object.keys(change.response ?? {}).length +
          Object.keys(change.error ?? {}).length >
        0;
      if (
        !hasConverter &&
        declared === 0 &&
        (change.answers ?? []).every((a) => !a.startsWith("operation-removed"))
      ) {
        problems.push(`${name} has no converter: it would change nothing for older versions`);
      }
      for (const op of Object.keys(change.request ?? {})) {
        if (olderOps !== undefined && !olderOps.has(op)) {
          problems.push(
            `${name}: its request converter names operation "${op}", which ${olderDate} does not have`,
          );
        }
      }
      for (const op of Object.keys(change.error ?? {})) {
        if (op !== "*" && olderOps !== undefined && !olderOps.has(op)) {
          problems.push(
            `${name}: its error converter names operation "${op}", which ${olderDate} does not have`,
          );
        }
      }
      for (const schema of Object.keys(change.requestSchema ?? {})) {
        if (olderSchemas !== undefined && !olderSchemas.has(schema)) {
          problems.push(
            `${name}: its request converter names schema "${schema}", which ${olderDate} does not have`,
          );
        }
      }
      for (const schema of Object.keys(change.response ?? {})) {
        if (newerSchemas !== undefined && !newerSchemas.has(schema)) {
          problems.push(
            `${name}: its response converter names schema "${schema}", which ${date} does not have`,
          );
        }
      }
    }
  }
  return problems;
}

/** Throws a VersionChainError listing every problem, or returns when the chain is sound. */
export function assertChain(bundle: VersionBundle, versions: readonly ChainVersion[]): void {
  const problems = chainProblems(bundle, versions);
  if (problems.length > 0) throw new VersionChainError(problems);
}
