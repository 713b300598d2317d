/**
 * Request (and, outside production, response) validation against the pinned version's bundled
 * document, with express-openapi-validator.
 *
 * One validator per version, built once at start-up. We match the route ourselves first
 * (regexps compiled once) to answer route_not_found / method_not_allowed and to know the
 * operation; security is handled by our auth middleware, so the validator's is off.
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import * as OpenApiValidator from "express-openapi-validator";
import type { OpenApiDocument, VersionRegistry } from "../versions/registry.ts";
import { ApiError, type ErrorCode } from "./errors.ts";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export interface MatchedOperation {
  /** The document's path template, e.g. `/v1/listings/{listing_id}`. */
  path: string;
  operationId: string | undefined;
  params: Record<string, string>;
}

interface CompiledPath {
  template: string;
  regexp: RegExp;
  names: string[];
  /** Lower-case method → operationId. */
  methods: Map<string, string | undefined>;
}

export interface RouteTable {
  /** Finds the operation for a method and path, or throws route_not_found / method_not_allowed. */
  match(method: string, path: string): MatchedOperation;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function compileRouteTable(doc: OpenApiDocument): RouteTable {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, { operationId?: string }>>;
  const compiled: CompiledPath[] = [];
  for (const [template, item] of Object.entries(paths)) {
    const names: string[] = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const m = /^\{([^}]+)\}$/.exec(part);
        if (m?.[1] === undefined) return escapeRegExp(part);
        names.push(m[1]);
        return "([^/]+)";
      })
      .join("");
    const methods = new Map<string, string | undefined>();
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op !== undefined) methods.set(method, op.operationId);
    }
    compiled.push({ template, regexp: new RegExp(`^${source}$`), names, methods });
  }
  // Literal segments win over parameters (`/v1/test/reset` before `/v1/test/{x}`).
  compiled.sort((a, b) => a.names.length - b.names.length);
  return {
    match(method, path) {
      for (const route of compiled) {
        const m = route.regexp.exec(path);
        if (m === null) continue;
        const lower = method.toLowerCase();
        if (!route.methods.has(lower)) {
          const allow = [...route.methods.keys()].map((k) => k.toUpperCase()).join(", ");
          throw new ApiError(
            "method_not_allowed",
            `${method} is not allowed on ${path}; allowed: ${allow}.`,
            undefined,
            { Allow: allow },
          );
        }
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          try {
            params[name] = decodeURIComponent(m[i + 1] ?? "");
          } catch {
            throw new ApiError("parameter_invalid", `Path parameter ${name} is not valid.`, name);
          }
        });
        return { path: route.template, operationId: route.methods.get(lower), params };
      }
      throw new ApiError("route_not_found", `No such route: ${method} ${path}`);
    },
  };
}

interface ValidatorIssue {
  path?: string;
  message?: string;
  errorCode?: string;
}

interface ValidatorError {
  status?: number;
  headers?: Record<string, string>;
  message?: string;
  errors?: ValidatorIssue[];
}

/** `/body/shipping_address/line1` → `shipping_address.line1`; `/query/limit` → `limit`. */
function paramOf(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const parts = path.split(/[/.]/).filter((p) => p !== "");
  if (
    parts[0] === "body" ||
    parts[0] === "query" ||
    parts[0] === "params" ||
    parts[0] === "headers"
  ) {
    parts.shift();
  }
  if (parts.length === 0) return undefined;
  return parts.join(".");
}

function codeOf(issue: ValidatorIssue): ErrorCode {
  const kind = issue.errorCode ?? "";
  if (kind.startsWith("required.")) return "parameter_missing";
  if (kind.startsWith("additionalProperties.") || kind.startsWith("unevaluatedProperties.")) {
    return "parameter_unknown";
  }
  if (issue.message?.startsWith("Unknown query parameter")) return "parameter_unknown";
  return "parameter_invalid";
}

function describe(issue: ValidatorIssue, param: string | undefined): string {
  const msg = issue.message ?? "is invalid";
  if (issue.message?.startsWith("Unknown query parameter")) return msg;
  if (issue.errorCode?.startsWith("required.")) return `${param ?? "body"} is required`;
  if (issue.errorCode?.startsWith("additionalProperties.")) {
    return `${param ?? "body"} is not a known parameter`;
  }
  return param === undefined ? `body ${msg}` : `${param} ${msg}`;
}

/** Maps an express-openapi-validator error to our error, or undefined if it is not one. */
export function translateValidatorError(e: ValidatorError): ApiError | undefined {
  const status = e.status;
  if (typeof status !== "number") return undefined;
  switch (status) {
    case 400: {
      const issues =
        e.errors !== undefined && e.errors.length > 0 ? e.errors : [{ message: e.message }];
      const first = issues[0] as ValidatorIssue;
      const param = paramOf(first.path);
      // Every failure is reported: the first names `param`, the message lists them all.
      const message = issues.map((i) => describe(i, paramOf(i.path))).join("; ");
      return new ApiError(codeOf(first), `${message}.`, param);
    }
    case 404:
      return new ApiError("route_not_found", "No such route.");
    case 405:
      return new ApiError(
        "method_not_allowed",
        e.message ?? "Method not allowed.",
        undefined,
        e.headers ?? {},
      );
    case 413:
      return new ApiError("body_too_large", "The request body exceeds 64 KiB.");
    case 415:
      return new ApiError("unsupported_media_type", "The request body must be application/json.");
    default:
      return undefined;
  }
}

function runChain(chain: RequestHandler[], req: Request, res: Response, next: NextFunction): void {
  let i = 0;
  const step = (err?: unknown): void => {
    if (err !== undefined && err !== null) {
      next(err);
      return;
    }
    const mw = chain[i++];
    if (mw === undefined) {
      next();
      return;
    }
    try {
      const out = mw(req, res, step) as unknown;
      if (out instanceof Promise) out.catch(step);
    } catch (e) {
      step(e);
    }
  };
  step();
}

const SKIPPED_VALIDATOR_STEPS = new Set(["securityMiddleware", "pathParamsMiddleware"]);

/** What the validator's metadata step leaves on the request for its later steps. */
type ValidatorRequest = Request & { openapi?: { pathParams: Record<string, string> } };

/**
 * The validator's metadata step finds the request's operation by compiling every route's
 * path-to-regexp pattern again on each request. We already know the operation, so its result
 * is remembered per operation the first time and reused with this request's path parameters.
 */
function rememberedMetadata(metadata: RequestHandler): RequestHandler {
  const known = new Map<string, NonNullable<ValidatorRequest["openapi"]>>();
  return (req: ValidatorRequest, res, next) => {
    const operation = res.locals.operation as MatchedOperation;
    const key = `${req.method} ${operation.path}`;
    const remembered = known.get(key);
    if (remembered !== undefined) {
      req.openapi = { ...remembered, pathParams: operation.params };
      req.params = operation.params;
      next();
      return;
    }
    return metadata(req, res, (err?: unknown) => {
      if (err === undefined && req.openapi !== undefined) known.set(key, { ...req.openapi });
      next(err);
    });
  };
}

/**
 * The validator refuses a query value holding any RFC 3986 reserved character unless the
 * parameter says `allowReserved`. Our query parser splits only on `&` and `=`, so `(`, `)`, `*`,
 * `!` and the other sub-delimiters are plain data in a value (a brand such as
 * "Tudor (Black Bay)"), and `encodeURIComponent`, which most clients use, leaves `!'()*` as
 * they are. Every query parameter of the validator's copy of the document is marked so.
 */
function allowReservedQueryCharacters(doc: OpenApiDocument): void {
  const mark = (p: unknown): void => {
    const param = p as { in?: string; allowReserved?: boolean };
    if (param.in === "query") param.allowReserved = true;
  };
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const p of (item.parameters as unknown[] | undefined) ?? []) mark(p);
    for (const op of Object.values(item)) {
      const params = (op as { parameters?: unknown[] } | null)?.parameters;
      if (Array.isArray(params)) for (const p of params) mark(p);
    }
  }
  const shared = (doc.components as { parameters?: Record<string, unknown> } | undefined)
    ?.parameters;
  for (const p of Object.values(shared ?? {})) mark(p);
}

export interface ValidationOptions {
  validateRequests: boolean;
  validateResponses: boolean;
}

/**
 * The middleware that routes each request to its pinned version's validator. It expects
 * `res.locals.apiVersion` (set by auth) and sets `res.locals.operation`.
 */
export function validationMiddleware(
  versions: VersionRegistry,
  opts: ValidationOptions,
): RequestHandler {
  const tables = new Map<string, RouteTable>();
  const validators = new Map<string, RequestHandler[]>();

  for (const entry of versions.entries) {
    let full: OpenApiDocument;
    try {
      full = versions.document(entry.version);
    } catch {
      continue; // an unreleased version without a bundle yet
    }
    tables.set(entry.version, compileRouteTable(full));
    // The validator annotates the schemas it is given, so it gets its own copy; webhooks are
    // not requests we receive.
    const doc = structuredClone({ ...full, webhooks: undefined });
    delete (doc as Record<string, unknown>).webhooks;
    allowReservedQueryCharacters(doc);
    const chain = OpenApiValidator.middleware({
      // biome-ignore lint/suspicious/noExplicitAny: the validator's DocumentV3_1 type is stricter than parsed JSON
      apiSpec: doc as any,
      validateApiSpec: false,
      validateSecurity: false,
      fileUploader: false,
      validateRequests: opts.validateRequests
        ? { allErrors: true, allowUnknownQueryParameters: false, coerceTypes: false }
        : false,
      validateResponses: opts.validateResponses ? { allErrors: true } : false,
    }) as RequestHandler[];
    // Two of the validator's middlewares do nothing for us on each request but cost a promise
    // hop: the security check (our auth does it) and the path-parameter hook (our routes parse
    // their own parameters). Drop them; the rest run as before.
    const needed = chain
      .filter((mw) => !SKIPPED_VALIDATOR_STEPS.has(mw.name))
      .map((mw) => (mw.name === "metadataMiddleware" ? rememberedMetadata(mw) : mw));
    validators.set(entry.version, needed);
  }

  return (req, res, next) => {
    const version = res.locals.apiVersion as string;
    const table = tables.get(version);
    const chain = validators.get(version);
    if (table === undefined || chain === undefined) {
      throw new Error(`no bundled document for pinned version ${version}`);
    }
    // Mounted under /v1, so req.path is relative; the document's paths are absolute.
    const path = req.originalUrl.split("?")[0] ?? "/";
    res.locals.operation = table.match(req.method, path);
    if (!opts.validateRequests && !opts.validateResponses) {
      next();
      return;
    }
    runChain(chain, req, res, next);
  };
}
