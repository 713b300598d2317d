import type { Emitter, JsonValue, OpenApiDocument } from "../context.ts";

/**
 * `server.ts`: what the server needs from the document as typed constants, beside `types.ts`
 * (which it imports): each operation's route and success schema, each webhook event type's
 * `data.object` schema, and each event type's example object. The server registers handlers,
 * renders responses and builds test events from these, so none of it is copied by hand; a
 * schema or event renamed in the document changes them, and `tsc` follows.
 */

const METHODS = ["get", "put", "post", "delete", "patch"] as const;
const SCHEMA_REF = /^#\/components\/schemas\/([A-Za-z0-9_.-]+)$/;

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(value: JsonValue | undefined, ...keys: string[]): JsonValue | undefined {
  let current = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The component schema name a `{$ref}` names, or undefined. */
function refName(value: JsonValue | undefined): string | undefined {
  const ref = field(value, "$ref");
  return typeof ref === "string" ? SCHEMA_REF.exec(ref)?.[1] : undefined;
}

interface OperationEntry {
  method: string;
  path: string;
  status: number;
  schema: string;
  items?: string;
  body?: true;
}

/** A list page's item schema: the `$ref` of `properties.data.items`. */
function itemsOf(bundled: OpenApiDocument, schema: string): string | undefined {
  return refName(field(bundled, "components", "schemas", schema, "properties", "data", "items"));
}

function operationsOf(bundled: OpenApiDocument): Record<string, OperationEntry> {
  const out: Record<string, OperationEntry> = {};
  const paths = field(bundled, "paths");
  if (!isObject(paths)) return out;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = field(item, method);
      const id = field(op, "operationId");
      if (typeof id !== "string") continue;
      const responses = field(op, "responses");
      const success = Object.keys(isObject(responses) ? responses : {})
        .filter((status) => /^2\d\d$/.test(status))
        .sort();
      const status = success[0];
      const schema =
        status === undefined
          ? undefined
          : refName(field(responses, status, "content", "application/json", "schema"));
      // Left out, the operation cannot be registered: the server's `tsc` names it.
      if (status === undefined || schema === undefined) continue;
      const items = itemsOf(bundled, schema);
      const body = field(op, "requestBody", "content", "application/json") !== undefined;
      out[id] = {
        method,
        path,
        status: Number(status),
        schema,
        ...(items ? { items } : {}),
        ...(body ? { body: true } : {}),
      };
    }
  }
  return out;
}

/** The event's `data.object` schema: the `$ref` at `data.properties.object` in one `allOf` part. */
function eventObjectSchema(
  bundled: OpenApiDocument,
  body: JsonValue | undefined,
): string | undefined {
  const envelope = refName(body);
  const schema = envelope === undefined ? body : field(bundled, "components", "schemas", envelope);
  const parts = field(schema, "allOf");
  for (const part of [schema, ...(Array.isArray(parts) ? parts : [])]) {
    const name = refName(field(part, "properties", "data", "properties", "object"));
    if (name !== undefined) return name;
  }
  return undefined;
}

interface EventEntry {
  schema: string;
  example: JsonValue | undefined;
}

/**
 * Each webhook whose body is an event envelope with a named `data.object` schema. One that is
 * not, or has no example, is left out: `server.ts` then fails `tsc` naming the event type, as
 * its constants must cover every webhook.
 */
function eventsOf(bundled: OpenApiDocument): Record<string, EventEntry> {
  const out: Record<string, EventEntry> = {};
  const webhooks = field(bundled, "webhooks");
  if (!isObject(webhooks)) return out;
  for (const [type, item] of Object.entries(webhooks)) {
    const body = field(item, "post", "requestBody", "content", "application/json");
    const schema = eventObjectSchema(bundled, field(body, "schema"));
    if (schema === undefined) continue;
    const examples = field(body, "examples");
    const first = isObject(examples) ? Object.values(examples)[0] : undefined;
    const example = field(first, "value", "data", "object");
    out[type] = { schema, example: isObject(example) ? example : undefined };
  }
  return out;
}

function literal(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export const emitServerTs: Emitter = async (ctx) => {
  const operations = operationsOf(ctx.bundled);
  const events = eventsOf(ctx.bundled);
  const schemas = Object.fromEntries(Object.entries(events).map(([t, e]) => [t, e.schema]));
  const examples = Object.fromEntries(
    Object.entries(events).flatMap(([t, e]) => (e.example === undefined ? [] : [[t, e.example]])),
  );
  const contents = `/**
 * ${ctx.banner}
 */

import type { components, operations, webhooks } from "./types.ts";

/** A schema name of this document. */
export type SchemaName = keyof components["schemas"];

/**
 * An operation's route and the schema of its success body (\`items\`: a list page's items;
 * \`body\`: it takes a JSON request body).
 */
export interface OperationRoute {
  method: "get" | "put" | "post" | "delete" | "patch";
  path: string;
  status: number;
  schema: SchemaName;
  items?: SchemaName;
  body?: true;
}

/** Every operation of \`paths\`, by operationId. */
export const OPERATIONS = ${literal(operations)} as const satisfies {
  [K in keyof operations]?: OperationRoute;
};

/** Every webhook event type and the schema of its \`data.object\`. */
export const EVENT_SCHEMAS = ${literal(schemas)} as const satisfies {
  [T in keyof webhooks]: SchemaName;
};

/** An event type of this document. */
export type EventType = keyof typeof EVENT_SCHEMAS;

/** The object an event of type \`T\` carries in \`data.object\`. */
export type EventObject<T extends EventType> = components["schemas"][(typeof EVENT_SCHEMAS)[T]];

/** Each event type's example \`data.object\`, from the document's webhook examples. */
export const EVENT_EXAMPLES: { [T in EventType]: EventObject<T> } = ${literal(examples)};
`;
  return [{ path: `${ctx.outDir}/server.ts`, contents }];
};
