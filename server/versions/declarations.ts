/**
 * Version changes as declarations (after Cadwyn's `schema(X).field("a").had(name="b")`). One
 * declaration says what changed, in the document's own terms (schema, field, enum value,
 * operationId, error code, event type); it expands into the request up-converter, the
 * response/webhook down-converter and the diff findings it answers, matched by meaning (the
 * finding's rule, schema, field, operation or event) rather than by a hashed finding id.
 *
 *   schema("Order").field("total_amount").had({ name: "amount" })      renamed (both directions)
 *   schema("Order").field("cancellation_reason").existed()              removed from newest
 *   schema("Listing").field("has_box").didntExist()                      added in newest
 *   schema("CreateCustomerRequest").field("phone").wasOptional()        newly required
 *   enumOf("ListingCondition").had({ fair: ["needs_service", "for_parts"] })  split (or renamed,
 *                                                                         merged: old → new)
 *   endpoint("archiveListing").existed() / endpoint("x").didntExist()   removed / added
 *   errorCode("listing_locked").had({ code: "listing_state_invalid" })  error code changed
 *   webhook("order.dispatched").had({ name: "order.shipped" }) / webhook("x").existed()
 *
 * Old values a converter must invent (a removed response field, a newly required request
 * field) come from the older document: the property's `default`, else null where it is
 * nullable; otherwise the declaration must say `{ default: ... }` and the proof says so.
 */
import type { ErrorBody, JsonObject } from "./change.ts";
import { renameField, withDefault } from "./fields.ts";

type Doc = Record<string, unknown>;
type Value = unknown;
type Step = (value: Value) => Value;

/** The part of a diff finding a declaration reads (scripts/diff's Finding has these fields). */
export interface FindingLike {
  rule: string;
  location: { operation?: string; webhook?: string; pointer: string; component?: string };
  before: unknown;
  after: unknown;
  message?: string;
}

/** The documents on both sides of the hop a declaration belongs to. */
export interface HopDocuments {
  older: Doc | undefined;
  newer: Doc | undefined;
}

export interface Expansion {
  request?: Record<string, (body: JsonObject) => JsonObject>;
  requestSchema?: Record<string, Step>;
  response?: Record<string, Step>;
  error?: Record<string, (body: ErrorBody) => ErrorBody>;
}

export interface Declaration {
  /** What it declares, in one line (the changelog and check reports use it). */
  readonly summary: string;
  /** The declaration as source text, for `wth changes scaffold`. */
  readonly source: string;
  answers(finding: FindingLike, docs: HopDocuments): boolean;
  expand(docs: HopDocuments): Expansion;
}

export class DeclarationError extends Error {}

const unescapePointer = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

/** The schema a finding is in and the property it names (last `properties/<name>`). */
function placeOf(f: FindingLike): { schema: string | undefined; field: string | undefined } {
  const schema = f.location.component?.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
  const segments = f.location.pointer.split("/").map(unescapePointer);
  const field = segments.at(-2) === "properties" ? segments.at(-1) : undefined;
  return { schema, field };
}

function schemaOf(doc: Doc | undefined, name: string): Doc | undefined {
  return (doc?.components as { schemas?: Record<string, Doc> } | undefined)?.schemas?.[name];
}

/** The value an older version had for `field` of `schema` when nobody sent one. */
function oldDefault(
  docs: HopDocuments,
  schema: string,
  field: string,
  given: { default?: unknown },
  what: string,
): unknown {
  if (Object.hasOwn(given, "default")) return given.default;
  const prop = (schemaOf(docs.older, schema)?.properties as Record<string, Doc> | undefined)?.[
    field
  ];
  if (prop !== undefined && Object.hasOwn(prop, "default")) return prop.default;
  const types = prop?.type;
  const nullable =
    types === "null" ||
    (Array.isArray(types) && types.includes("null")) ||
    ((prop?.oneOf ?? prop?.anyOf) as Doc[] | undefined)?.some((b) => b.type === "null") === true;
  if (nullable) return null;
  throw new DeclarationError(
    `${what}: the older document gives ${schema}.${field} no default and it is not nullable; declare one with { default: ... }`,
  );
}

const METHODS = ["get", "put", "post", "delete", "patch"];

/** `operationId` → `METHOD /path` as the diff labels operations. */
function labelOf(doc: Doc | undefined, operationId: string): string | undefined {
  const paths = (doc?.paths ?? {}) as Record<string, Record<string, { operationId?: string }>>;
  for (const [p, item] of Object.entries(paths)) {
    for (const m of METHODS) {
      if (item?.[m]?.operationId === operationId) return `${m.toUpperCase()} ${p}`;
    }
  }
  return undefined;
}

const lit = (v: unknown) => JSON.stringify(v);

function valueMap(map: Readonly<Record<string, string>>): Step {
  return (v) => (typeof v === "string" && Object.hasOwn(map, v) ? map[v] : v);
}

class FieldDeclarations {
  constructor(
    private readonly schema: string,
    private readonly field: string,
  ) {}

  /** The field is called `name` in the older version (a rename, both directions). */
  had(old: { name: string }): Declaration {
    const { schema, field } = this;
    const from = old.name;
    const mine = (f: FindingLike) => {
      const place = placeOf(f);
      if (place.schema !== schema) return false;
      if (/-property-renamed$/.test(f.rule)) return f.before === from && f.after === field;
      if (/-property-removed$/.test(f.rule)) return place.field === from;
      if (/-property-added$/.test(f.rule)) return place.field === field;
      return place.field === field || place.field === from;
    };
    return {
      summary: `${schema}.${from} is renamed ${field}`,
      source: `schema(${lit(schema)}).field(${lit(field)}).had({ name: ${lit(from)} })`,
      answers: (f) => mine(f),
      expand: () => ({
        response: { [schema]: (o) => renameField(o as JsonObject, field, from) },
        requestSchema: { [schema]: (o) => renameField(o as JsonObject, from, field) },
      }),
    };
  }

  /** The field existed in the older version and is gone from the newest. */
  existed(given: { default?: unknown } = {}): Declaration {
    const { schema, field } = this;
    const summary = `${schema}.${field} is removed`;
    return {
      summary,
      source: `schema(${lit(schema)}).field(${lit(field)}).existed()`,
      answers: (f) =>
        /-property-removed$/.test(f.rule) &&
        placeOf(f).schema === schema &&
        placeOf(f).field === field,
      expand(docs) {
        const value = oldDefault(docs, schema, field, given, summary);
        return {
          response: { [schema]: (o) => withDefault(o as JsonObject, field, value) },
          requestSchema: {
            [schema]: (o) => {
              if (!Object.hasOwn(o as JsonObject, field)) return o;
              const { [field]: _dropped, ...rest } = o as JsonObject;
              return rest;
            },
          },
        };
      },
    };
  }

  /** The field is new in the newest version; older versions never see it. */
  didntExist(): Declaration {
    const { schema, field } = this;
    return {
      summary: `${schema}.${field} is added`,
      source: `schema(${lit(schema)}).field(${lit(field)}).didntExist()`,
      answers: (f) =>
        /-property-added$/.test(f.rule) &&
        placeOf(f).schema === schema &&
        placeOf(f).field === field,
      expand: () => ({
        response: {
          [schema]: (o) => {
            if (!Object.hasOwn(o as JsonObject, field)) return o;
            const { [field]: _dropped, ...rest } = o as JsonObject;
            return rest;
          },
        },
      }),
    };
  }

  /** The field became required; older versions may omit it and get the old default. */
  wasOptional(given: { default?: unknown } = {}): Declaration {
    const { schema, field } = this;
    const summary = `${schema}.${field} becomes required`;
    return {
      summary,
      source: `schema(${lit(schema)}).field(${lit(field)}).wasOptional()`,
      answers: (f) =>
        (f.rule === "request-property-made-required" ||
          f.rule === "required-request-property-added") &&
        placeOf(f).schema === schema &&
        placeOf(f).field === field,
      expand(docs) {
        const value = oldDefault(docs, schema, field, given, summary);
        return { requestSchema: { [schema]: (o) => withDefault(o as JsonObject, field, value) } };
      },
    };
  }
}

/** A schema's fields, as declarations start from them. */
export function schema(name: string): { field(field: string): FieldDeclarations } {
  return { field: (field) => new FieldDeclarations(name, field) };
}

/**
 * An enum schema's values: `had({ old: "new" })` renames, `had({ old: ["a", "b"] })` splits one
 * old value into several, `had({ a: "c", b: "c" })` merges. Older versions read each new value
 * as the first old value listed for it; their requests send old values, upgraded to the first
 * new value listed.
 */
export function enumOf(name: string): { had(map: Record<string, string | string[]>): Declaration } {
  return {
    had(map) {
      const down: Record<string, string> = {};
      const up: Record<string, string> = {};
      for (const [old, now] of Object.entries(map)) {
        const list = Array.isArray(now) ? now : [now];
        up[old] = list[0] as string;
        for (const v of list) down[v] ??= old;
      }
      const values = new Set([...Object.keys(up), ...Object.keys(down)]);
      const touched = (x: unknown) =>
        (Array.isArray(x) ? x : x !== null && typeof x === "object" ? Object.keys(x) : [x]).some(
          (v) => typeof v === "string" && values.has(v),
        );
      return {
        summary: `${name} values change: ${Object.entries(map)
          .map(([o, n]) => `${o} → ${Array.isArray(n) ? n.join(" | ") : n}`)
          .join(", ")}`,
        source: `enumOf(${lit(name)}).had(${lit(map)})`,
        answers: (f) =>
          placeOf(f).schema === name &&
          /enum|meaning/.test(f.rule) &&
          (touched(f.before) || touched(f.after)),
        expand: () => ({
          response: { [name]: valueMap(down) },
          requestSchema: { [name]: valueMap(up) },
        }),
      };
    },
  };
}

/** An operation, by its operationId. */
export function endpoint(operationId: string): {
  existed(): Declaration;
  didntExist(): Declaration;
} {
  // The diff labels an operation `METHOD /path` and names its operationId in the message.
  const matches = (f: FindingLike, rule: string, doc: Doc | undefined) =>
    f.rule === rule &&
    ((doc !== undefined && f.location.operation === labelOf(doc, operationId)) ||
      f.message?.includes(`(${operationId})`) === true);
  return {
    existed: () => ({
      summary: `operation ${operationId} is removed`,
      source: `endpoint(${lit(operationId)}).existed()`,
      answers: (f, docs) => matches(f, "operation-removed", docs.older),
      expand: () => ({}),
    }),
    didntExist: () => ({
      summary: `operation ${operationId} is added`,
      source: `endpoint(${lit(operationId)}).didntExist()`,
      answers: (f, docs) => matches(f, "operation-added", docs.newer),
      expand: () => ({}),
    }),
  };
}

/** An error code of the newest version that older versions know by another code. */
export function errorCode(code: string): {
  had(old: { code: string; operations?: string[] }): Declaration;
} {
  return {
    had(old) {
      const rename = (b: ErrorBody): ErrorBody =>
        b.error.code === code ? { ...b, error: { ...b.error, code: old.code } } : b;
      const ops = old.operations ?? ["*"];
      return {
        summary: `error code ${old.code} becomes ${code}`,
        source: `errorCode(${lit(code)}).had(${lit(old)})`,
        answers: (f) =>
          (f.rule === "error-code-added" && f.after === code) ||
          (f.rule === "error-code-removed" && f.before === old.code) ||
          (/enum-value-(added|removed)$/.test(f.rule) &&
            [f.before, f.after].some(
              (x) => Array.isArray(x) && (x.includes(code) || x.includes(old.code)),
            )),
        expand: () => ({ error: Object.fromEntries(ops.map((op) => [op, rename])) }),
      };
    },
  };
}

/** The enum schemas that hold event type names (the envelope's `type`, subscriptions). */
const EVENT_TYPE_SCHEMAS = ["EventType", "EnabledEventType"];

/** An event type (a `webhooks` entry) of the newest version. */
export function webhook(type: string): {
  had(old: { name: string }): Declaration;
  existed(): Declaration;
} {
  return {
    had(old) {
      const down = valueMap({ [type]: old.name });
      const up = valueMap({ [old.name]: type });
      const subscriptionsDown = (v: Value) => (Array.isArray(v) ? v.map(down) : down(v));
      return {
        summary: `event type ${old.name} is renamed ${type}`,
        source: `webhook(${lit(type)}).had({ name: ${lit(old.name)} })`,
        answers: (f) =>
          (f.rule === "webhook-renamed" && f.before === old.name && f.after === type) ||
          (f.rule === "webhook-removed" && f.before === old.name) ||
          (f.rule === "webhook-added" && f.after === type) ||
          (/enum-value-(added|removed)$/.test(f.rule) &&
            [f.before, f.after].some(
              (x) => Array.isArray(x) && (x.includes(type) || x.includes(old.name)),
            )),
        expand: () => ({
          response: Object.fromEntries(
            EVENT_TYPE_SCHEMAS.map((s) => [s, s === "EventType" ? down : subscriptionsDown]),
          ),
          requestSchema: Object.fromEntries(EVENT_TYPE_SCHEMAS.map((s) => [s, up])),
        }),
      };
    },
    existed: () => ({
      summary: `event type ${type} is no longer sent`,
      source: `webhook(${lit(type)}).existed()`,
      answers: (f) =>
        (f.rule === "webhook-removed" && f.before === type) ||
        (/enum-value-removed$/.test(f.rule) && Array.isArray(f.before) && f.before.includes(type)),
      expand: () => ({}),
    }),
  };
}

/** Merges the expansions of a change's declarations with its hand-written converters. */
export function mergeExpansions(parts: readonly Expansion[]): Expansion {
  const out: Required<Expansion> = { request: {}, requestSchema: {}, response: {}, error: {} };
  for (const part of parts) {
    for (const kind of ["request", "requestSchema", "response", "error"] as const) {
      const into = out[kind] as Record<string, (v: never) => unknown>;
      for (const [key, fn] of Object.entries(part[kind] ?? {}) as Array<
        [string, (v: never) => unknown]
      >) {
        const before = into[key];
        into[key] =
          before === undefined
            ? fn
            : (((v: never) => fn(before(v) as never)) as (v: never) => unknown);
      }
    }
  }
  return out;
}
