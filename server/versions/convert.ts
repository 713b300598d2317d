/**
 * Runs a bundle's converters. A request from an integration pinned to version V passes through
 * the request converters of every change dated after V, oldest first; an object or error goes
 * through the response (error) converters of the same changes, newest first.
 *
 * Response converters are keyed by schema name and follow the schema graph: for each hop the
 * converter compiles, once per (version, schema), one function that applies every converter of
 * that hop wherever its schema occurs inside the rendered schema (nested, in arrays, in
 * `oneOf`/`allOf`, in list pages, in an event's `data.object`, in error bodies), read from the
 * bundled document of the hop's newer version (server/versions/schema-graph.ts). Without
 * documents (unit tests of the chain order) only the top-level schema's converters run.
 *
 * Whatever fails while converting (a converter throws, a declaration cannot expand, a document is
 * missing) surfaces as one ConversionError naming the version, the schema, the JSON pointer and
 * the version change, so that no caller can send a value half converted.
 */
import type { ErrorBody, JsonObject, VersionBundle, VersionChange } from "./change.ts";
import { ConversionError, conversionErrorOf, StepFailure } from "./conversion-error.ts";
import { type Expansion, type HopDocuments, mergeExpansions } from "./declarations.ts";
import { compilePlan, type SchemaGraph, schemaGraphOf, type ValueStep } from "./schema-graph.ts";

/** The bundled document of a version, or undefined when there is none. */
export type DocumentSource = (version: string) => Record<string, unknown> | undefined;

export class ConversionSetupError extends Error {}
export { ConversionError };

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
  /**
   * Compiles every conversion `version` can need (each schema of the newest document, each
   * operation's request and errors), so that a declaration that cannot expand or a missing
   * document fails at start-up, before any request has written anything.
   */
  prepare(version: string): void;
}

/** The schema the error bodies of every operation share (DESIGN.md's `{error: {...}}`). */
export const ERROR_SCHEMA = "ErrorResponse";

const METHODS = ["get", "put", "post", "delete", "patch"];

/** `fn`, whose failure names the schema (or operation) it converts and the change it belongs to. */
function tagged(fn: ValueStep, key: string, change: string): ValueStep {
  return (value) => {
    try {
      return fn(value);
    } catch (e) {
      if (e instanceof StepFailure) throw e;
      throw new StepFailure(key, change, e);
    }
  };
}

function compose(steps: readonly ValueStep[]): ValueStep | undefined {
  if (steps.length === 0) return undefined;
  if (steps.length === 1) return steps[0];
  return (value) => {
    let out = value;
    for (const step of steps) out = step(out);
    return out;
  };
}

/** The JSON request-body schema of `operationId` in a bundled document. */
function requestSchemaOf(doc: Record<string, unknown>, operationId: string): unknown {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const item of Object.values(paths)) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (op?.operationId !== operationId) continue;
      const body = op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
      return body?.content?.["application/json"]?.schema;
    }
  }
  return undefined;
}

/** What one change converts, its declarations expanded against the hop's documents. */
export function expandChange(change: VersionChange, docs: HopDocuments): Expansion {
  return mergeExpansions([
    ...(change.declarations ?? []).map((d) => d.expand(docs)),
    {
      ...(change.request === undefined ? {} : { request: { ...change.request } }),
      ...(change.requestSchema === undefined
        ? {}
        : { requestSchema: { ...change.requestSchema } as Expansion["requestSchema"] }),
      ...(change.response === undefined
        ? {}
        : { response: { ...change.response } as Expansion["response"] }),
      ...(change.error === undefined ? {} : { error: { ...change.error } }),
    },
  ]);
}

/**
 * `versions` lists every version oldest first (openapi/versions.json); it names the version
 * before the bundle's first hop, whose document a declaration reads old defaults from.
 */
export function createConverter(
  bundle: VersionBundle,
  documents?: DocumentSource,
  versions?: readonly string[],
): Converter {
  const newest = bundle.at(-1)?.version;
  const dates = bundle.map((d) => d.version);
  const expansions = new WeakMap<VersionChange, Expansion>();

  function previousOf(date: string): string | undefined {
    const i = dates.indexOf(date);
    if (i > 0) return dates[i - 1];
    const all = versions ?? [];
    const j = all.indexOf(date);
    return j > 0 ? all[j - 1] : undefined;
  }

  function expanded(change: VersionChange, date: string): Expansion {
    let out = expansions.get(change);
    if (out === undefined) {
      const previous = previousOf(date);
      out = expandChange(change, {
        newer: documents?.(date),
        older: previous === undefined ? undefined : documents?.(previous),
      });
      expansions.set(change, out);
    }
    return out;
  }
  const graphs = new Map<string, SchemaGraph>();
  const compiled = new Map<string, ValueStep | null>();

  function graphOf(version: string): SchemaGraph | undefined {
    if (documents === undefined) return undefined;
    let graph = graphs.get(version);
    if (graph === undefined) {
      const doc = documents(version);
      if (doc === undefined) {
        throw new ConversionSetupError(
          `no bundled document for ${version} (generated/${version}/openapi.json): run "wth generate"`,
        );
      }
      graph = schemaGraphOf(doc);
      graphs.set(version, graph);
    }
    return graph;
  }

  /** Converters of one hop by key, several changes' for the same key run in their order. */
  function keyed<T>(
    date: string,
    changes: readonly VersionChange[],
    pick: (c: Expansion) => Readonly<Record<string, T>> | undefined,
  ): Map<string, ValueStep> {
    const out = new Map<string, ValueStep[]>();
    for (const change of changes) {
      for (const [name, fn] of Object.entries(pick(expanded(change, date)) ?? {})) {
        const list = out.get(name) ?? [];
        list.push(tagged(fn as unknown as ValueStep, name, `${change.id} (${date})`));
        out.set(name, list);
      }
    }
    const merged = new Map<string, ValueStep>();
    for (const [name, list] of out) merged.set(name, compose(list) as ValueStep);
    return merged;
  }

  /** One hop down (date → the version before it) for a value of `schemaName`. */
  function downHop(date: string, changes: readonly VersionChange[], schemaName: string) {
    const converters = keyed(date, changes, (c) => c.response);
    if (converters.size === 0) return undefined;
    const graph = graphOf(date);
    const root = graph?.schema(schemaName);
    if (graph === undefined || root === undefined) return converters.get(schemaName);
    return compilePlan(graph, root, converters);
  }

  function responsePlan(version: string, schemaName: string): ValueStep | undefined {
    if (newest === undefined || version >= newest) return undefined;
    const key = `r\0${version}\0${schemaName}`;
    let plan = compiled.get(key);
    if (plan === undefined) {
      const steps: ValueStep[] = [];
      for (const dated of [...bundle].reverse()) {
        if (dated.version <= version) break;
        const hop = downHop(dated.version, dated.changes, schemaName);
        if (hop !== undefined) steps.push(hop);
      }
      plan = compose(steps) ?? null;
      compiled.set(key, plan);
    }
    return plan ?? undefined;
  }

  function requestPlan(version: string, operationId: string): ValueStep | undefined {
    if (newest === undefined || version >= newest) return undefined;
    const key = `q\0${version}\0${operationId}`;
    let plan = compiled.get(key);
    if (plan === undefined) {
      const steps: ValueStep[] = [];
      for (const [i, dated] of bundle.entries()) {
        if (dated.version <= version) continue;
        // The body arrives in the shape of the version before this hop: schema-keyed request
        // converters follow that document's graph of the operation's request body.
        const bySchema = keyed(dated.version, dated.changes, (c) => c.requestSchema);
        if (bySchema.size > 0) {
          const before =
            i === 0 ? (previousOf(dated.version) ?? version) : (dates[i - 1] as string);
          const graph = graphOf(before);
          const root = requestSchemaOf(documents?.(before) ?? {}, operationId);
          const hop =
            graph === undefined || root === undefined
              ? undefined
              : compilePlan(graph, root, bySchema);
          if (hop !== undefined) steps.push(hop);
        }
        for (const change of dated.changes) {
          const fn = expanded(change, dated.version).request?.[operationId];
          if (fn !== undefined) {
            steps.push(
              tagged(fn as unknown as ValueStep, operationId, `${change.id} (${dated.version})`),
            );
          }
        }
      }
      plan = compose(steps) ?? null;
      compiled.set(key, plan);
    }
    return plan ?? undefined;
  }

  function errorPlan(version: string, operationId: string | undefined): ValueStep | undefined {
    if (newest === undefined || version >= newest) return undefined;
    const key = `e\0${version}\0${operationId ?? ""}`;
    let plan = compiled.get(key);
    if (plan === undefined) {
      const steps: ValueStep[] = [];
      for (const dated of [...bundle].reverse()) {
        if (dated.version <= version) break;
        const shape = downHop(dated.version, dated.changes, ERROR_SCHEMA);
        if (shape !== undefined) steps.push(shape);
        for (const change of dated.changes) {
          const errors = expanded(change, dated.version).error;
          const specific = operationId === undefined ? undefined : errors?.[operationId];
          const label = `${change.id} (${dated.version})`;
          if (specific !== undefined) {
            steps.push(tagged(specific as unknown as ValueStep, ERROR_SCHEMA, label));
          }
          const any = errors?.["*"];
          if (any !== undefined)
            steps.push(tagged(any as unknown as ValueStep, ERROR_SCHEMA, label));
        }
      }
      plan = compose(steps) ?? null;
      compiled.set(key, plan);
    }
    return plan ?? undefined;
  }

  return {
    renderForVersion(version, schemaName, newestObject) {
      try {
        const plan = responsePlan(version, schemaName);
        return plan === undefined ? newestObject : (plan(newestObject) as JsonObject);
      } catch (e) {
        throw conversionErrorOf(e, version, schemaName);
      }
    },
    rendersDifferently(version, schemaName) {
      try {
        return responsePlan(version, schemaName) !== undefined;
      } catch (e) {
        throw conversionErrorOf(e, version, schemaName);
      }
    },
    upgradeRequest(version, operationId, body) {
      try {
        const plan = requestPlan(version, operationId);
        return plan === undefined ? body : (plan(body) as JsonObject);
      } catch (e) {
        throw conversionErrorOf(e, version, operationId);
      }
    },
    renderErrorForVersion(version, operationId, body) {
      try {
        const plan = errorPlan(version, operationId);
        return plan === undefined ? body : (plan(body) as ErrorBody);
      } catch (e) {
        throw conversionErrorOf(e, version, ERROR_SCHEMA);
      }
    },
    prepare(version) {
      if (newest === undefined || version >= newest || documents === undefined) return;
      const newestGraph = graphOf(newest);
      const doc = documents(version) ?? {};
      const schemas = Object.keys(
        ((documents(newest)?.components as { schemas?: object } | undefined)?.schemas ??
          {}) as object,
      );
      if (newestGraph === undefined) return;
      for (const name of schemas) responsePlan(version, name);
      errorPlan(version, undefined);
      const paths = (doc.paths ?? {}) as Record<string, Record<string, { operationId?: unknown }>>;
      for (const item of Object.values(paths)) {
        for (const method of METHODS) {
          const id = item?.[method]?.operationId;
          if (typeof id !== "string") continue;
          requestPlan(version, id);
          errorPlan(version, id);
        }
      }
    },
  };
}
