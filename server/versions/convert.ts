/**
 * Runs a bundle's converters. A request from an integration pinned to version V passes through
 * the request converters of every change dated after V, oldest first; an object or error goes
 * through the response (error) converters of the same changes, newest first. The list of
 * converters for each (version, key) pair is computed once and cached, so a pinned request
 * costs one map lookup plus the converters themselves.
 */
import type { ErrorBody, JsonObject, VersionBundle, VersionChange } from "./change.ts";

type Step<T> = (value: T) => T;

export interface Converter {
  /** Renders a newest-version object (`schemaName` as in the document) for `version`. */
  renderForVersion(version: string, schemaName: string, newestObject: JsonObject): JsonObject;
  /** Whether renderForVersion would change any `schemaName` object for `version`. */
  rendersDifferently(version: string, schemaName: string): boolean;
  /** Upgrades a request body sent by an integration pinned to `version` to the newest shape. */
  upgradeRequest(version: string, operationId: string, body: JsonObject): JsonObject;
  /** Renders a newest-version error body for `version` (operationId undefined: no route). */
  renderErrorForVersion(
    version: string,
    operationId: string | undefined,
    body: ErrorBody,
  ): ErrorBody;
}

function run<T>(steps: readonly Step<T>[], value: T): T {
  let out = value;
  for (const step of steps) out = step(out);
  return out;
}

export function createConverter(bundle: VersionBundle): Converter {
  const cache = new Map<string, unknown>();
  const newest = bundle.at(-1)?.version;

  /** Changes dated after `version`, oldest first. */
  const after = (version: string): VersionChange[] =>
    bundle.filter((d) => d.version > version).flatMap((d) => d.changes);

  function steps<T>(
    kind: string,
    version: string,
    key: string,
    pick: (change: VersionChange) => Step<T> | undefined,
    newestFirst: boolean,
  ): readonly Step<T>[] {
    const cacheKey = `${kind}\0${version}\0${key}`;
    let found = cache.get(cacheKey) as readonly Step<T>[] | undefined;
    if (found === undefined) {
      const changes = after(version);
      if (newestFirst) changes.reverse();
      found = changes.map(pick).filter((s): s is Step<T> => s !== undefined);
      cache.set(cacheKey, found);
    }
    return found;
  }

  const responseSteps = (version: string, schemaName: string): readonly Step<JsonObject>[] =>
    newest === undefined || version >= newest
      ? []
      : steps<JsonObject>("response", version, schemaName, (c) => c.response?.[schemaName], true);

  return {
    renderForVersion(version, schemaName, newestObject) {
      return run(responseSteps(version, schemaName), newestObject);
    },
    rendersDifferently(version, schemaName) {
      return responseSteps(version, schemaName).length > 0;
    },
    upgradeRequest(version, operationId, body) {
      if (newest === undefined || version >= newest) return body;
      return run(
        steps<JsonObject>("request", version, operationId, (c) => c.request?.[operationId], false),
        body,
      );
    },
    renderErrorForVersion(version, operationId, body) {
      if (newest === undefined || version >= newest) return body;
      const key = operationId ?? "";
      return run(
        steps<ErrorBody>(
          "error",
          version,
          key,
          (c) => {
            const specific = operationId === undefined ? undefined : c.error?.[operationId];
            const any = c.error?.["*"];
            if (specific === undefined) return any;
            if (any === undefined) return specific;
            return (b: ErrorBody) => any(specific(b));
          },
          true,
        ),
        body,
      );
    },
  };
}
