/**
 * What one breaking change is, in code: a named version change (after Cadwyn's VersionChange).
 * Handlers produce and accept only the newest version's shapes; each change knows how to take a
 * request one step up (the version before it → its version) and an object or error one step
 * down (its version → the version before it). Converters are keyed by the document's
 * operationId and schema names, never by URL.
 */

import type { Declaration } from "./declarations.ts";

export type JsonObject = Record<string, unknown>;

/** An error body as the API sends it: `{error: {code, message, param?, request_id}}`. */
export type ErrorBody = { error: JsonObject };

export interface VersionChange {
  /** The change's id, the same as its file name (`server/versions/changes/<date>/<id>.ts`). */
  id: string;
  /** One sentence for the changelog: what changed. */
  description: string;
  /** What an integrator must do when rolling forward past this change. */
  migration: string;
  /**
   * The ids of the `wth diff <previous> <date>` findings this change answers. `wth check` fails
   * when a breaking finding is answered by no change, so none can be released uncovered.
   */
  answers?: string[];
  /**
   * What changed, declared (server/versions/declarations.ts): each expands into the request and
   * response converters and answers the diff findings of its schema, field, operation or event.
   */
  declarations?: readonly Declaration[];
  /** operationId → converts a request body of the previous version into this version's shape. */
  request?: Readonly<Record<string, (body: JsonObject) => JsonObject>>;
  /**
   * Schema name (of the previous version's document) → converts a request value of that schema
   * into this version's shape, wherever the schema occurs in an operation's request body.
   */
  requestSchema?: Readonly<Record<string, (value: JsonObject) => JsonObject>>;
  /**
   * Schema name → converts a value of this version into the previous version's shape, wherever
   * the schema occurs: a response, a list page, a webhook's `data.object`, an error body, nested
   * or at the top (server/versions/convert.ts follows the document's schema graph). An enum
   * schema's converter receives the string value.
   */
  response?: Readonly<Record<string, (object: JsonObject) => JsonObject>>;
  /**
   * operationId (or `*` for every operation) → converts an error body of this version into the
   * previous version's, for changes that alter an error (a new code, another `param`).
   */
  error?: Readonly<Record<string, (body: ErrorBody) => ErrorBody>>;
}

/** One dated version and the changes it introduced. */
export interface DatedChanges {
  version: string;
  changes: readonly VersionChange[];
}

/** Every dated version that has changes, oldest first (like Cadwyn's VersionBundle). */
export type VersionBundle = readonly DatedChanges[];

/** Identity helper that gives a change file its type and keeps the object literal checked. */
export function defineVersionChange(change: VersionChange): VersionChange {
  return change;
}
