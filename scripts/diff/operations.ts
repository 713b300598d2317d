/**
 * How the diff sees an OpenAPI document's operations: entries keyed by method and path template
 * (path-parameter names ignored), their merged parameters, and the shape used to recognise a
 * renamed operation between declared dated versions.
 */
import { escapePointer } from "./pointer.ts";
import { shapeOf } from "./shape.ts";
import type { Json, Side } from "./visitor.ts";

export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export function obj(v: unknown): Json {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
}

export interface OperationEntry {
  key: string;
  method: string;
  path: string;
  label: string;
  op: Json;
  pathItem: Json;
  pointer: string;
}

export function operations(doc: Json): Map<string, OperationEntry> {
  const out = new Map<string, OperationEntry>();
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    const pathItem = obj(item);
    for (const method of METHODS) {
      if (pathItem[method] === undefined) continue;
      const key = `${method} ${path.replace(/\{[^}]*\}/g, "{}")}`;
      out.set(key, {
        key,
        method,
        path,
        label: `${method.toUpperCase()} ${path}`,
        op: obj(pathItem[method]),
        pathItem,
        pointer: `/paths/${escapePointer(path)}/${method}`,
      });
    }
  }
  return out;
}

/** The operations of one webhook (event type), keyed by method. */
export function webhookEntries(doc: Json, name: string): OperationEntry[] {
  const item = obj(obj(doc.webhooks)[name]);
  return METHODS.filter((m) => item[m] !== undefined).map((method) => ({
    key: method,
    method,
    path: name,
    label: name,
    op: obj(item[method]),
    pathItem: item,
    pointer: `/webhooks/${escapePointer(name)}/${method}`,
  }));
}

export interface Param {
  key: string;
  name: string;
  where: string;
  required: boolean;
  deprecated: boolean;
  schema: unknown;
  raw: Json;
}

export function parameters(entry: OperationEntry): Map<string, Param> {
  const merged = new Map<string, Json>();
  for (const list of [entry.pathItem.parameters, entry.op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      const param = obj(p);
      merged.set(`${param.in}:${param.name}`, param);
    }
  }
  const pathOrder = [...entry.path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const out = new Map<string, Param>();
  for (const raw of merged.values()) {
    const name = String(raw.name);
    const where = String(raw.in);
    // Path parameters are matched by position: renaming `{id}` to `{listing_id}` changes nothing.
    const key =
      where === "path"
        ? `path#${pathOrder.indexOf(name)}`
        : `${where}:${where === "header" ? name.toLowerCase() : name}`;
    const content = Object.values(obj(raw.content))[0];
    out.set(key, {
      key,
      name,
      where,
      required: raw.required === true,
      deprecated: raw.deprecated === true,
      schema: raw.schema ?? obj(content).schema,
      raw,
    });
  }
  return out;
}

/** The documentation of a node (summary, description, examples...) as comparable text. */
export function docsOf(node: Json): string {
  const d: Json = {};
  for (const k of ["summary", "description", "example", "examples", "externalDocs", "tags"]) {
    if (node[k] !== undefined) d[k] = node[k];
  }
  return JSON.stringify(d);
}

/** An operation's parameters and bodies, three levels deep: equal for a renamed operation. */
export function operationShape(side: Side, e: OperationEntry): string {
  const parts = [e.method];
  for (const p of parameters(e).values()) {
    parts.push(`${p.key}${p.required ? "!" : ""}=${shapeOf(side.norm.schema(p.schema), 3)}`);
  }
  for (const [mt, m] of Object.entries(obj(obj(e.op.requestBody).content))) {
    parts.push(`body ${mt}=${shapeOf(side.norm.schema(obj(m).schema), 3)}`);
  }
  for (const [status, r] of Object.entries(obj(e.op.responses))) {
    for (const [mt, m] of Object.entries(obj(obj(r).content))) {
      parts.push(`${status} ${mt}=${shapeOf(side.norm.schema(obj(m).schema), 3)}`);
    }
  }
  return parts.sort().join("\n");
}

/** A header's schema, whether given directly or through `content`. */
export function headerSchema(h: Json): unknown {
  return h.schema ?? obj(Object.values(obj(h.content))[0]).schema;
}
