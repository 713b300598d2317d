/**
 * HTTP conventions that hold for every route, kept here so that no resource module has to
 * remember them: HEAD answers wherever GET does, and a 201 says where the created object lives.
 */
import type { RequestHandler, Response } from "express";
import type { OpenApiDocument, VersionRegistry } from "../versions/registry.ts";

/**
 * HEAD is routed, validated and answered as the GET it mirrors. Node decided at parse time that
 * a HEAD response has no body, so it still sends none; the headers (Content-Length included)
 * are those of the GET.
 */
export function headAsGet(): RequestHandler {
  return (req, res, next) => {
    if (req.method === "HEAD") {
      res.locals.requestMethod = "HEAD";
      req.method = "GET";
    }
    next();
  };
}

/** The method the client sent (HEAD is routed as GET). */
export function requestMethodOf(method: string, res: Response): string {
  return (res.locals.requestMethod as string | undefined) ?? method;
}

interface JsonSchemaLike {
  properties?: { object?: { const?: unknown; enum?: unknown[] } };
}

/**
 * Object type → the path template that retrieves one (`listing` → `/v1/listings/{listing_id}`),
 * read from the GET operations of a document whose path ends in one parameter.
 */
export function retrievalPaths(doc: OpenApiDocument): Map<string, string> {
  const out = new Map<string, string>();
  const paths = (doc.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [template, item] of Object.entries(paths)) {
    if (!/\/\{[^}/]+\}$/.test(template)) continue;
    const get = item.get as
      | { responses?: Record<string, { content?: Record<string, { schema?: JsonSchemaLike }> }> }
      | undefined;
    const schema = get?.responses?.["200"]?.content?.["application/json"]?.schema;
    const object = schema?.properties?.object;
    const type = object?.const ?? object?.enum?.[0];
    if (typeof type === "string" && !out.has(type)) out.set(type, template);
  }
  return out;
}

/** `{object, id}` of a response body, whether it is still an object or already JSON text. */
function createdObjectOf(body: unknown): { object?: unknown; id?: unknown } | undefined {
  if (typeof body === "string") {
    try {
      return createdObjectOf(JSON.parse(body) as unknown);
    } catch {
      return undefined;
    }
  }
  if (body === null || typeof body !== "object" || Buffer.isBuffer(body)) return undefined;
  return body as { object?: unknown; id?: unknown };
}

/**
 * Every 201 carries `Location`: the path that retrieves the created object, found from its
 * `object` type in the pinned version's document. It wraps `res.send`, which both `res.json`
 * and the idempotent replay (stored JSON text) end in, so a replayed 201 says it too.
 */
export function locationOnCreated(versions: VersionRegistry): RequestHandler {
  const byVersion = new Map<string, Map<string, string>>();
  const pathsFor = (version: string): Map<string, string> => {
    let known = byVersion.get(version);
    if (known === undefined) {
      known = retrievalPaths(versions.document(version));
      byVersion.set(version, known);
    }
    return known;
  };
  return (_req, res, next) => {
    const original = res.send;
    res.send = function withLocation(body?: unknown) {
      if (res.statusCode === 201 && !res.hasHeader("Location")) {
        const created = createdObjectOf(body);
        const version = res.locals.apiVersion as string | undefined;
        if (
          typeof created?.object === "string" &&
          typeof created.id === "string" &&
          version !== undefined
        ) {
          const template = pathsFor(version).get(created.object);
          if (template !== undefined) {
            res.setHeader(
              "Location",
              template.replace(/\{[^}/]+\}$/, encodeURIComponent(created.id)),
            );
          }
        }
      }
      return original.call(res, body);
    };
    next();
  };
}
