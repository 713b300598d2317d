/**
 * Handlers registered by operationId, typed by the newest document (generated/newest.ts).
 *
 * A handler receives the operation's path parameters, query and request body (upgraded from the
 * pinned version to the newest shape) with the types openapi-typescript generated for it, and
 * returns the body of its success response in the newest shape; this module renders that body
 * for the pinned version and sends it with the document's success status. A field renamed in the
 * newest document therefore fails `tsc` in every handler that reads or writes it.
 *
 * Registration runs after the /v1 pipeline (auth, rate limit, body, validation against the
 * pinned version, idempotency); nothing here replaces any of it.
 */
import type { Request, RequestHandler, Response, Router } from "express";
import type { Kysely } from "kysely";
import {
  type OperationRoute,
  SERVED_OPERATIONS,
  type ServedOperations,
} from "../../generated/newest.ts";
import type { Database } from "../db/schema.ts";
import type { Integration } from "../integrations.ts";
import { apiVersionOf, integrationOf } from "./context.ts";
import type { Page } from "./pagination.ts";
import { bodyOf, renderSuccess, sendObject, sendPage, sendRendered } from "./respond.ts";

/**
 * Every operation of the newest document, plus those it removed that older versions still
 * route to (typed by the last version that had them).
 */
export type OperationId = keyof typeof SERVED_OPERATIONS & keyof ServedOperations;

type Operation<K extends OperationId> = ServedOperations[K];
type OperationParameters<K extends OperationId> = Operation<K>["parameters"];

/** An operation without path parameters or query gets an empty record. */
type Nothing = Record<string, never>;

/** The operation's path parameters, as the document names and types them. */
export type PathParams<K extends OperationId> =
  OperationParameters<K> extends { path: infer P extends object } ? P : Nothing;

/**
 * The operation's query parameters by the document's names. Values are the strings that were
 * sent (the app's "simple" query parser, and the validator does not coerce), so a handler
 * parses numbers and dates itself.
 */
export type RawQuery<K extends OperationId> =
  OperationParameters<K> extends { query?: infer Q }
    ? [NonNullable<Q>] extends [never]
      ? Nothing
      : { readonly [N in keyof NonNullable<Q>]?: string }
    : Nothing;

/** The JSON request body in the newest shape, or undefined for an operation without one. */
export type RequestBody<K extends OperationId> =
  Operation<K> extends { requestBody?: infer B }
    ? [NonNullable<B>] extends [never]
      ? undefined
      : NonNullable<B> extends { content: { "application/json": infer J } }
        ? J
        : undefined
    : undefined;

/** The body of the operation's success response (the status the document gives it). */
export type SuccessBody<K extends OperationId> =
  (typeof SERVED_OPERATIONS)[K]["status"] extends infer S extends keyof Operation<K>["responses"]
    ? Operation<K>["responses"][S] extends { content: { "application/json": infer J } }
      ? J
      : never
    : never;

export interface OperationInput<K extends OperationId> {
  params: PathParams<K>;
  query: RawQuery<K>;
  body: RequestBody<K>;
  integration: Integration;
  /** The integration's pinned version (responses are rendered in it by this module). */
  version: string;
  req: Request;
  res: Response;
  /**
   * Runs `work` in one database transaction and renders what it returns for the pinned version
   * before the commit, so that a conversion that fails rolls the write back (500
   * version_conversion_failed) instead of leaving it committed behind an error. The handler
   * returns the result as it is; it is sent as rendered here.
   */
  transaction<T extends SuccessBody<K>>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
}

export type OperationHandler<K extends OperationId> = (
  input: OperationInput<K>,
) => Promise<SuccessBody<K>> | SuccessBody<K>;

/** `/v1/listings/{listing_id}` → `/v1/listings/:listing_id`. */
function expressPath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, ":$1");
}

/** The operations each router serves, so that one registered twice fails at start-up. */
const served = new WeakMap<Router, Set<OperationId>>();

/**
 * Returns `operation(id, handler, ...before)`, which registers a handler on `router` at the
 * operation's method and path from the newest document. `before` runs first (e.g. a guard).
 * `db` is what `transaction` runs on (registration alone does not need it).
 */
export function operationsOn(router: Router, db?: Kysely<Database>) {
  const seen = served.get(router) ?? new Set<OperationId>();
  served.set(router, seen);
  return function operation<K extends OperationId>(
    operationId: K,
    handler: OperationHandler<K>,
    ...before: RequestHandler[]
  ): void {
    if (seen.has(operationId)) throw new Error(`operation ${operationId} is registered twice`);
    seen.add(operationId);
    const route: OperationRoute = SERVED_OPERATIONS[operationId];
    const handle: RequestHandler = async (req, res) => {
      const version = apiVersionOf(res);
      let rendered: { source: unknown; body: unknown } | undefined;
      const input: OperationInput<K> = {
        // The validator has checked params, query and body against the pinned version's
        // document and bodyOf has upgraded the body to the newest shape: that is what makes
        // these the generated types, so the one unchecked step is here and nowhere else.
        params: req.params as PathParams<K>,
        query: req.query as RawQuery<K>,
        body: (route.body ? bodyOf(req, res) : undefined) as RequestBody<K>,
        integration: integrationOf(res),
        version,
        req,
        res,
        transaction: (work) => {
          if (db === undefined) {
            throw new Error(
              `operation ${operationId}: transaction() needs operationsOn(router, db)`,
            );
          }
          return db.transaction().execute(async (trx) => {
            const out = await work(trx);
            rendered = { source: out, body: renderSuccess(version, route, out) };
            return out;
          });
        },
      };
      const body = await handler(input);
      if (rendered !== undefined && rendered.source === body) {
        sendRendered(res, route.status, rendered.body);
      } else if (route.items === undefined) sendObject(res, route.status, route.schema, body);
      // A list page: its items are what the version changes convert.
      else sendPage(res, route.items, body as Page<unknown>);
    };
    router[route.method](expressPath(route.path), ...before, handle);
  };
}
