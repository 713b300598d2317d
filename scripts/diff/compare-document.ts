/**
 * Walks two resolved documents side by side: operations matched by method and path template
 * (path-parameter names ignored), webhooks by event type, then the document-wide contracts —
 * the error-code registry and the webhook signature.
 */
import { compareSchema, type Role, type SchemaContext } from "./compare-schema.ts";
import { escapePointer, Findings, type Scope } from "./findings.ts";
import type { LoadedDocument } from "./load.ts";
import { Normalizer, type NSchema } from "./normalize.ts";
import { shapeOf } from "./shape.ts";
import { includesAllowing, type Verdict } from "./subschema.ts";
import type { Direction, Finding } from "./types.ts";

type Json = Record<string, unknown>;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/** Query parameters that carry a list's cursor, per DESIGN.md (and common spellings). */
export const CURSOR_PARAMETERS = new Set([
  "starting_after",
  "ending_before",
  "cursor",
  "after",
  "before",
]);
export const LIMIT_PARAMETERS = new Set(["limit"]);

function obj(v: unknown): Json {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
}

interface Side {
  doc: Json;
  norm: Normalizer;
  components: WeakMap<object, string>;
}

interface OperationEntry {
  key: string;
  method: string;
  path: string;
  label: string;
  op: Json;
  pathItem: Json;
  pointer: string;
}

function operations(doc: Json): Map<string, OperationEntry> {
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

interface Param {
  key: string;
  name: string;
  where: string;
  required: boolean;
  deprecated: boolean;
  schema: unknown;
  raw: Json;
}

function parameters(entry: OperationEntry): Map<string, Param> {
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

function docsOf(node: Json): string {
  const d: Json = {};
  for (const k of ["summary", "description", "example", "examples", "externalDocs", "tags"]) {
    if (node[k] !== undefined) d[k] = node[k];
  }
  return JSON.stringify(d);
}

/** `x-renamed-from` on a webhook's path item or on any of its operations. */
function renamedFrom(item: Json): unknown {
  if (item["x-renamed-from"] !== undefined) return item["x-renamed-from"];
  for (const m of METHODS) {
    const from = obj(item[m])["x-renamed-from"];
    if (from !== undefined) return from;
  }
  return undefined;
}

/** Where an error body carries its code, when the document does not say (`[]`: each item). */
const ERROR_CODE_PATHS = ["error.code", "code", "error_code", "errors[].code"];

interface Catalogue {
  operation: string;
  pointer: string;
  component: string | undefined;
  /** Code → its documented meaning (`x-enum-meanings`, `x-enum-descriptions`), if any. */
  codes: Map<string, string | undefined>;
}

/** Follows a dotted property path (`errors[].code`) through a normalised schema. */
function codeSchema(s: NSchema, path: string): NSchema | undefined {
  let at: NSchema | undefined = s;
  for (const part of path.split(".")) {
    if (at === undefined) return undefined;
    const array = part.endsWith("[]");
    const name = array ? part.slice(0, -2) : part;
    let next: NSchema | undefined = at.properties.get(name);
    if (next === undefined && at.variants !== undefined)
      next = at.variants.map((v) => v.properties.get(name)).find((x) => x !== undefined);
    at = array ? next?.items : next;
  }
  return at;
}

function meaningsOf(code: NSchema): Record<string, string> {
  const out: Record<string, string> = {};
  if (code.docs !== "") {
    const docs = JSON.parse(code.docs) as Record<string, unknown>;
    const descriptions = docs["x-enum-descriptions"];
    if (descriptions !== null && typeof descriptions === "object" && !Array.isArray(descriptions))
      for (const [k, v] of Object.entries(descriptions)) out[k] = String(v);
  }
  return { ...out, ...code.enumMeanings };
}

class DocumentDiff {
  readonly findings = new Findings();
  private readonly registry = new Set<number>();
  private readonly clean = new Set<string>();
  private readonly stats = { cuts: 0 };
  private readonly verdicts = new Map<string, Verdict>();

  constructor(
    private readonly b: Side,
    private readonly a: Side,
    private readonly inferRenames: boolean,
  ) {}

  /** Milliseconds per rule family; the subschema backstop is taken out of the walks it ran in. */
  readonly timings: Record<string, number> = { "subschema backstop": 0 };

  private timed(family: string, work: () => void): void {
    const started = performance.now();
    const backstop = this.timings["subschema backstop"] ?? 0;
    work();
    const inner = (this.timings["subschema backstop"] ?? 0) - backstop;
    this.timings[family] = (this.timings[family] ?? 0) + performance.now() - started - inner;
  }

  run(): Finding[] {
    this.timed("error codes", () => this.compareErrorRegistry());
    this.timed("webhook signature", () => this.compareSignature());
    this.timed("operations (named rules)", () => this.compareOperations());
    this.timed("webhooks (named rules)", () => this.compareWebhooks());
    return this.findings.list;
  }

  private schemaCtx(
    scope: Scope,
    direction: Direction,
    pointer: string,
    role: Role = "body",
  ): SchemaContext {
    return {
      findings: this.findings,
      scope,
      direction,
      pointer,
      component: undefined,
      role,
      visited: new Set(),
      clean: this.clean,
      stats: this.stats,
      registry: this.registry,
      inferRenames: this.inferRenames,
    };
  }

  /**
   * The named rules first, then the subschema check as a backstop: when the rules found nothing
   * breaking but the principle finds a request value now rejected (or a response value newly
   * possible), or cannot prove there is none, that is reported under the rule that explains it.
   */
  private judge(b: NSchema, a: NSchema, ctx: SchemaContext): void {
    const found = this.findings.list.length;
    compareSchema(b, a, ctx);
    // Nothing differs that the walk can see (every keyword is kept, modelled or not): the
    // pair is equal, and proving inclusion again would only cost time on large documents.
    if (this.findings.list.length === found) return;
    if (this.findings.list.slice(found).some((f) => f.breaking)) return;
    const started = performance.now();
    try {
      this.backstop(b, a, ctx);
    } finally {
      this.timings["subschema backstop"] =
        (this.timings["subschema backstop"] ?? 0) + performance.now() - started;
    }
  }

  private backstop(b: NSchema, a: NSchema, ctx: SchemaContext): void {
    const input = ctx.direction === "input";
    const key = `${b.uid}:${a.uid}:${ctx.direction}:${ctx.parameter === true}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      const allow = {
        newFields: input ? ("wide" as const) : ("narrow" as const),
        ignoreEnums: this.registry,
        textual: ctx.parameter === true,
      };
      verdict = input ? includesAllowing(a, b, allow) : includesAllowing(b, a, allow);
      this.verdicts.set(key, verdict);
    }
    if (verdict === "yes") return;
    const rule =
      verdict === "unknown"
        ? "cannot-prove-compatible"
        : input
          ? "request-constraint-added"
          : "response-constraint-relaxed";
    this.findings.add({
      rule,
      ...ctx.scope,
      pointer: ctx.pointer,
      component: a.component ?? b.component,
      direction: ctx.direction,
      before: null,
      after: null,
      message:
        verdict === "unknown"
          ? "The schema changed in a way the diff cannot prove compatible; treated as breaking."
          : input
            ? "The subschema check finds a request value the old schema accepted and the new one rejects."
            : "The subschema check finds a value the new schema may produce that the old one could not.",
    });
  }

  private schemas(bRaw: unknown, aRaw: unknown): [NSchema, NSchema] {
    return [this.b.norm.schema(bRaw), this.a.norm.schema(aRaw)];
  }

  // ---- operations -------------------------------------------------------------------------

  private operationShape(side: Side, e: OperationEntry): string {
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

  private compareOperations(): void {
    const before = operations(this.b.doc);
    const after = operations(this.a.doc);
    const removed = [...before.values()].filter((e) => !after.has(e.key));
    const added = [...after.values()].filter((e) => !before.has(e.key));
    const renamedTo = new Map<string, OperationEntry>();
    // Evidence first: the same operationId, or `x-renamed-from` naming the old operation.
    for (const e of removed) {
      const id = e.op.operationId;
      const match = added.find((c) => {
        if ([...renamedTo.values()].includes(c)) return false;
        const from = c.op["x-renamed-from"];
        if (from !== undefined && (from === e.label || (id !== undefined && from === id)))
          return true;
        return id !== undefined && c.op.operationId === id;
      });
      if (match !== undefined) renamedTo.set(e.key, match);
    }
    const unmatched = removed.filter((e) => !renamedTo.has(e.key));
    if (this.inferRenames && unmatched.length > 0 && added.length > 0) {
      const addedShapes = new Map<string, OperationEntry[]>();
      for (const e of added) {
        if ([...renamedTo.values()].includes(e)) continue;
        const s = this.operationShape(this.a, e);
        addedShapes.set(s, [...(addedShapes.get(s) ?? []), e]);
      }
      for (const e of unmatched) {
        const candidates = addedShapes.get(this.operationShape(this.b, e));
        const match = candidates?.find(
          (c) => c.method === e.method && ![...renamedTo.values()].includes(c),
        );
        if (match !== undefined) renamedTo.set(e.key, match);
      }
    }
    const renamedTargets = new Set([...renamedTo.values()].map((e) => e.key));
    for (const e of removed) {
      const to = renamedTo.get(e.key);
      if (to !== undefined) {
        this.findings.add({
          rule: "operation-renamed",
          operation: to.label,
          pointer: to.pointer,
          direction: "none",
          before: e.label,
          after: to.label,
          message: `${e.label} was renamed to ${to.label}; calls to the old path now fail.`,
        });
      } else {
        this.findings.add({
          rule: "operation-removed",
          operation: e.label,
          pointer: e.pointer,
          direction: "none",
          before: e.label,
          after: null,
          message: `${e.label}${e.op.operationId ? ` (${e.op.operationId})` : ""} was removed.`,
        });
      }
    }
    for (const e of added) {
      if (renamedTargets.has(e.key)) continue;
      this.findings.add({
        rule: "operation-added",
        operation: e.label,
        pointer: e.pointer,
        direction: "none",
        before: null,
        after: e.label,
        message: `New operation ${e.label}${e.op.operationId ? ` (${e.op.operationId})` : ""}.`,
      });
    }
    for (const [key, be] of before) {
      const ae = after.get(key);
      if (ae !== undefined) this.compareOperation(be, ae, { operation: ae.label }, false);
    }
  }

  private compareOperation(
    be: OperationEntry,
    ae: OperationEntry,
    scope: Scope,
    webhook: boolean,
  ): void {
    const f = this.findings;
    const ptr = ae.pointer;
    if (docsOf(be.op) !== docsOf(ae.op) || docsOf(be.pathItem) !== docsOf(ae.pathItem)) {
      f.add({
        rule: "documentation-changed",
        ...scope,
        pointer: ptr,
        direction: "none",
        before: null,
        after: null,
        message: "The summary or description changed.",
      });
    }
    if (be.op.deprecated !== true && ae.op.deprecated === true) {
      f.add({
        rule: "marked-deprecated",
        ...scope,
        pointer: `${ptr}/deprecated`,
        direction: "none",
        before: false,
        after: true,
        message: `${ae.label} is now deprecated.`,
      });
    }
    if (!webhook) this.compareSecurity(be, ae, scope);
    this.compareParameters(be, ae, scope, webhook);
    this.compareRequestBody(be, ae, scope, webhook);
    this.compareResponses(be, ae, scope, webhook);
  }

  private compareParameters(
    be: OperationEntry,
    ae: OperationEntry,
    scope: Scope,
    webhook: boolean,
  ): void {
    const f = this.findings;
    const bp = parameters(be);
    const ap = parameters(ae);
    const at = (p: Param) => `${ae.pointer}/parameters/${p.where}/${escapePointer(p.name)}`;
    const dir: Direction = webhook ? "output" : "input";
    const removed = [...bp.values()].filter((p) => !ap.has(p.key));
    const added = [...ap.values()].filter((p) => !bp.has(p.key));
    const taken = new Set<string>();
    for (const p of removed) {
      if (p.where === "query" && (CURSOR_PARAMETERS.has(p.name) || LIMIT_PARAMETERS.has(p.name))) {
        const rule = CURSOR_PARAMETERS.has(p.name)
          ? "pagination-cursor-changed"
          : "pagination-limit-changed";
        f.add({
          rule,
          ...scope,
          pointer: at(p),
          direction: dir,
          before: p.name,
          after: null,
          message: `The pagination parameter ${p.name} was removed.`,
        });
        continue;
      }
      const shape = shapeOf(this.b.norm.schema(p.schema), 3);
      const to =
        added.find(
          (x) => !taken.has(x.key) && x.where === p.where && x.raw["x-renamed-from"] === p.name,
        ) ??
        (this.inferRenames
          ? added.find(
              (x) =>
                !taken.has(x.key) &&
                x.where === p.where &&
                shapeOf(this.a.norm.schema(x.schema), 3) === shape,
            )
          : undefined);
      const sentHeader = webhook && p.where === "header";
      if (sentHeader) {
        if (to !== undefined) taken.add(to.key);
        f.add({
          rule: to === undefined ? "response-header-removed" : "response-header-renamed",
          ...scope,
          pointer: at(to ?? p),
          direction: dir,
          before: p.name,
          after: to?.name ?? null,
          message:
            to === undefined
              ? `Header ${p.name} is no longer sent.`
              : `Header ${p.name} was renamed to ${to.name} (same format).`,
        });
      } else if (to !== undefined) {
        taken.add(to.key);
        f.add({
          rule: "parameter-renamed",
          ...scope,
          pointer: at(to),
          direction: dir,
          before: p.name,
          after: to.name,
          message: `${p.where} parameter ${p.name} was renamed to ${to.name}.`,
        });
      } else {
        f.add({
          rule: "parameter-removed",
          ...scope,
          pointer: at(p),
          direction: dir,
          before: p.name,
          after: null,
          message: `${p.where} parameter ${p.name} was removed; requests that send it are rejected.`,
        });
      }
    }
    for (const p of added) {
      if (taken.has(p.key)) continue;
      if (webhook && p.where === "header") {
        f.add({
          rule: "response-header-added",
          ...scope,
          pointer: at(p),
          direction: dir,
          before: null,
          after: p.name,
          message: `Header ${p.name} is now sent.`,
        });
      } else if (p.required) {
        f.add({
          rule: "required-parameter-added",
          ...scope,
          pointer: at(p),
          direction: dir,
          before: null,
          after: p.name,
          message: `New required ${p.where} parameter ${p.name}.`,
        });
      } else {
        f.add({
          rule: "optional-parameter-added",
          ...scope,
          pointer: at(p),
          direction: dir,
          before: null,
          after: p.name,
          message: `New optional ${p.where} parameter ${p.name}.`,
        });
      }
    }
    for (const [key, b] of bp) {
      const a = ap.get(key);
      if (a === undefined) continue;
      const pagination =
        b.where === "query" && CURSOR_PARAMETERS.has(b.name)
          ? "cursor"
          : b.where === "query" && LIMIT_PARAMETERS.has(b.name)
            ? "limit"
            : undefined;
      if (b.required !== a.required && !(webhook && b.where === "header")) {
        if (pagination !== undefined) {
          f.add({
            rule:
              pagination === "cursor" ? "pagination-cursor-changed" : "pagination-limit-changed",
            ...scope,
            pointer: at(a),
            direction: dir,
            before: b.required,
            after: a.required,
            message: `The pagination parameter ${a.name} is now ${a.required ? "required" : "optional"}.`,
          });
        } else if (a.required) {
          f.add({
            rule: "parameter-made-required",
            ...scope,
            pointer: at(a),
            direction: dir,
            before: false,
            after: true,
            message: `${a.where} parameter ${a.name} is now required.`,
          });
        } else {
          f.add({
            rule: "parameter-made-optional",
            ...scope,
            pointer: at(a),
            direction: dir,
            before: true,
            after: false,
            message: `${a.where} parameter ${a.name} is now optional.`,
          });
        }
      }
      if (!b.deprecated && a.deprecated) {
        f.add({
          rule: "marked-deprecated",
          ...scope,
          pointer: at(a),
          direction: dir,
          before: false,
          after: true,
          message: `Parameter ${a.name} is now deprecated.`,
        });
      }
      if (docsOf(b.raw) !== docsOf(a.raw)) {
        f.add({
          rule: "documentation-changed",
          ...scope,
          pointer: at(a),
          direction: dir,
          before: null,
          after: null,
          message: `The description of parameter ${a.name} changed.`,
        });
      }
      const role: Role = b.where === "header" ? "header" : (pagination ?? "body");
      let [bs, as] = this.schemas(b.schema, a.schema);
      let pointer = `${at(a)}/schema`;
      // A lone value is sent exactly like a one-item array (form and simple styles), so a
      // parameter that became an array is judged by its items against the old scalar.
      const array = (s: NSchema) => s.types?.length === 1 && s.types[0] === "array";
      if (
        dir === "input" &&
        array(as) &&
        !array(bs) &&
        as.items !== undefined &&
        bs.types !== undefined
      ) {
        as = as.items;
        pointer = `${pointer}/items`;
      }
      this.judge(bs, as, { ...this.schemaCtx(scope, dir, pointer, role), parameter: true });
    }
  }

  private compareRequestBody(
    be: OperationEntry,
    ae: OperationEntry,
    scope: Scope,
    webhook: boolean,
  ): void {
    const f = this.findings;
    const b = be.op.requestBody === undefined ? undefined : obj(be.op.requestBody);
    const a = ae.op.requestBody === undefined ? undefined : obj(ae.op.requestBody);
    const ptr = `${ae.pointer}/requestBody`;
    const dir: Direction = webhook ? "output" : "input";
    if (!webhook) {
      const bReq = b?.required === true;
      const aReq = a?.required === true;
      if (!bReq && aReq) {
        f.add({
          rule: "request-body-made-required",
          ...scope,
          pointer: `${ptr}/required`,
          direction: dir,
          before: b === undefined ? null : false,
          after: true,
          message: "A request body is now required.",
        });
      } else if (bReq && !aReq && a !== undefined) {
        f.add({
          rule: "request-validation-relaxed",
          ...scope,
          pointer: `${ptr}/required`,
          direction: dir,
          before: true,
          after: false,
          message: "The request body is now optional.",
        });
      }
    }
    const bc = obj(b?.content);
    const ac = obj(a?.content);
    for (const mt of Object.keys(bc)) {
      const pointer = `${ptr}/content/${escapePointer(mt)}`;
      if (!Object.hasOwn(ac, mt)) {
        const rule = webhook ? "response-media-type-removed" : "request-media-type-removed";
        f.add({
          rule,
          ...scope,
          pointer,
          direction: dir,
          before: mt,
          after: null,
          message: webhook
            ? `The payload is no longer sent as ${mt}.`
            : `Request bodies in ${mt} are no longer accepted.`,
        });
        continue;
      }
      const [bs, as] = this.schemas(obj(bc[mt]).schema, obj(ac[mt]).schema);
      this.judge(bs, as, this.schemaCtx(scope, dir, `${pointer}/schema`));
    }
    for (const mt of Object.keys(ac)) {
      if (Object.hasOwn(bc, mt)) continue;
      const rule = webhook ? "response-media-type-added" : "request-media-type-added";
      f.add({
        rule,
        ...scope,
        pointer: `${ptr}/content/${escapePointer(mt)}`,
        direction: dir,
        before: null,
        after: mt,
        message: webhook
          ? `The payload may now be sent as ${mt}.`
          : `Request bodies in ${mt} are now accepted.`,
      });
    }
  }

  private compareResponses(
    be: OperationEntry,
    ae: OperationEntry,
    scope: Scope,
    webhook: boolean,
  ): void {
    const f = this.findings;
    // For a webhook, the responses are the receiver's acknowledgement: we read them (input).
    const dir: Direction = webhook ? "input" : "output";
    const norm = (r: unknown) => {
      const m = new Map<string, Json>();
      for (const [k, v] of Object.entries(obj(r))) m.set(k.toUpperCase(), obj(v));
      return m;
    };
    const br = norm(be.op.responses);
    const ar = norm(ae.op.responses);
    const ptr = (status: string) => `${ae.pointer}/responses/${status}`;
    for (const [status] of br) {
      if (ar.has(status)) continue;
      const success = status.startsWith("2");
      f.add({
        rule: success ? "success-response-removed" : "error-response-removed",
        ...scope,
        pointer: ptr(status),
        direction: dir,
        before: status,
        after: null,
        message: success
          ? webhook
            ? `A ${status} acknowledgement is no longer accepted.`
            : `The ${status} response was removed.`
          : `The documented ${status} response was removed.`,
      });
    }
    for (const [status] of ar) {
      if (!br.has(status))
        f.add({
          rule: "response-added",
          ...scope,
          pointer: ptr(status),
          direction: dir,
          before: null,
          after: status,
          message: `New documented ${status} response.`,
        });
    }
    for (const [status, b] of br) {
      const a = ar.get(status);
      if (a === undefined) continue;
      if (docsOf(b) !== docsOf(a))
        f.add({
          rule: "documentation-changed",
          ...scope,
          pointer: ptr(status),
          direction: dir,
          before: null,
          after: null,
          message: `The description of the ${status} response changed.`,
        });
      this.compareHeaders(b, a, scope, `${ptr(status)}/headers`, webhook);
      const bc = obj(b.content);
      const ac = obj(a.content);
      for (const mt of Object.keys(bc)) {
        const pointer = `${ptr(status)}/content/${escapePointer(mt)}`;
        if (!Object.hasOwn(ac, mt)) {
          const rule = webhook ? "request-media-type-removed" : "response-media-type-removed";
          f.add({
            rule,
            ...scope,
            pointer,
            direction: dir,
            before: mt,
            after: null,
            message: `The ${status} response is no longer ${webhook ? "accepted" : "sent"} as ${mt}.`,
          });
          continue;
        }
        const [bs, as] = this.schemas(obj(bc[mt]).schema, obj(ac[mt]).schema);
        this.judge(bs, as, this.schemaCtx(scope, dir, `${pointer}/schema`));
      }
      for (const mt of Object.keys(ac)) {
        if (Object.hasOwn(bc, mt)) continue;
        const rule = webhook ? "request-media-type-added" : "response-media-type-added";
        f.add({
          rule,
          ...scope,
          pointer: `${ptr(status)}/content/${escapePointer(mt)}`,
          direction: dir,
          before: null,
          after: mt,
          message: `The ${status} response may now be ${mt}.`,
        });
      }
    }
  }

  private compareHeaders(b: Json, a: Json, scope: Scope, pointer: string, webhook: boolean): void {
    const f = this.findings;
    const lower = (h: unknown) =>
      new Map(Object.entries(obj(h)).map(([k, v]) => [k.toLowerCase(), { name: k, h: obj(v) }]));
    const bh = lower(b.headers);
    const ah = lower(a.headers);
    const dir: Direction = webhook ? "input" : "output";
    const schemaOf = (h: Json) => h.schema ?? obj(Object.values(obj(h.content))[0]).schema;
    const renamed = new Set<string>();
    for (const [k, { name, h }] of bh) {
      if (ah.has(k)) continue;
      const at = { pointer: `${pointer}/${escapePointer(name)}` };
      if (webhook) {
        f.add({
          rule: "request-validation-relaxed",
          ...scope,
          ...at,
          direction: dir,
          before: name,
          after: null,
          message: `Acknowledgement header ${name} is no longer described.`,
        });
        continue;
      }
      const shape = shapeOf(this.b.norm.schema(schemaOf(h)), 4);
      const fresh = [...ah].filter(([x]) => !bh.has(x) && !renamed.has(x));
      const to =
        fresh.find(([, v]) => String(v.h["x-renamed-from"] ?? "").toLowerCase() === k) ??
        (this.inferRenames
          ? fresh.find(([, v]) => shapeOf(this.a.norm.schema(schemaOf(v.h)), 4) === shape)
          : undefined);
      if (to !== undefined) {
        renamed.add(to[0]);
        f.add({
          rule: "response-header-renamed",
          ...scope,
          pointer: `${pointer}/${escapePointer(to[1].name)}`,
          direction: dir,
          before: name,
          after: to[1].name,
          message: `Response header ${name} was renamed to ${to[1].name} (same format).`,
        });
      } else {
        f.add({
          rule: "response-header-removed",
          ...scope,
          ...at,
          direction: dir,
          before: name,
          after: null,
          message: `Response header ${name} is no longer sent.`,
        });
      }
    }
    for (const [k, { name }] of ah) {
      if (!bh.has(k) && !renamed.has(k))
        f.add({
          rule: "response-header-added",
          ...scope,
          pointer: `${pointer}/${escapePointer(name)}`,
          direction: dir,
          before: null,
          after: name,
          message: `New response header ${name}.`,
        });
    }
    for (const [k, { h: bv }] of bh) {
      const av = ah.get(k);
      if (av === undefined) continue;
      if (!webhook && bv.required === true && av.h.required !== true)
        f.add({
          rule: "response-header-made-optional",
          ...scope,
          pointer: `${pointer}/${escapePointer(av.name)}/required`,
          direction: dir,
          before: true,
          after: false,
          message: `Response header ${av.name} may now be absent.`,
        });
      const [bs, as] = this.schemas(schemaOf(bv), schemaOf(av.h));
      compareSchema(
        bs,
        as,
        this.schemaCtx(scope, dir, `${pointer}/${escapePointer(av.name)}/schema`, "header"),
      );
    }
  }

  private compareSecurity(be: OperationEntry, ae: OperationEntry, scope: Scope): void {
    const alternatives = (side: Side, e: OperationEntry) => {
      const schemes = obj(obj(side.doc.components).securitySchemes);
      const reqs = Array.isArray(e.op.security)
        ? e.op.security
        : Array.isArray(side.doc.security)
          ? side.doc.security
          : [];
      if (reqs.length === 0) return [new Map<string, Set<string>>()];
      return reqs.map((r) => {
        const m = new Map<string, Set<string>>();
        for (const [name, scopes] of Object.entries(obj(r))) {
          const def = obj(schemes[name]);
          // Compare schemes by what they are, so renaming a scheme component changes nothing.
          const key = JSON.stringify(
            Object.entries(def)
              .filter(([k]) => k !== "description")
              .sort(),
          );
          m.set(key, new Set(Array.isArray(scopes) ? scopes.map(String) : []));
        }
        return m;
      });
    };
    const within = (x: Map<string, Set<string>>, y: Map<string, Set<string>>) =>
      [...x].every(([k, scopes]) => y.has(k) && [...scopes].every((s) => y.get(k)?.has(s)));
    const bAlt = alternatives(this.b, be);
    const aAlt = alternatives(this.a, ae);
    const describe = (e: OperationEntry, side: Side) => e.op.security ?? side.doc.security ?? [];
    // Every way a client could authenticate before must still be enough now.
    const tightened = bAlt.some((old) => !aAlt.some((now) => within(now, old)));
    const loosened = aAlt.some((now) => !bAlt.some((old) => within(old, now)));
    const pointer = `${ae.pointer}/security`;
    if (tightened) {
      this.findings.add({
        rule: "security-tightened",
        ...scope,
        pointer,
        direction: "input",
        before: describe(be, this.b),
        after: describe(ae, this.a),
        message:
          "Authentication requirements were tightened: credentials that worked before may be refused.",
      });
    } else if (loosened) {
      this.findings.add({
        rule: "security-relaxed",
        ...scope,
        pointer,
        direction: "input",
        before: describe(be, this.b),
        after: describe(ae, this.a),
        message: "Authentication requirements were relaxed.",
      });
    }
  }

  // ---- webhooks ---------------------------------------------------------------------------

  private webhookEntries(doc: Json, name: string): OperationEntry[] {
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

  private webhookShape(side: Side, name: string, as: string): string {
    const shapes = this.webhookEntries(side.doc, name).map((e) => this.operationShape(side, e));
    return shapes.join("\n").split(JSON.stringify(name)).join(JSON.stringify(as));
  }

  private compareWebhooks(): void {
    const f = this.findings;
    const bw = Object.keys(obj(this.b.doc.webhooks));
    const aw = Object.keys(obj(this.a.doc.webhooks));
    const removed = bw.filter((n) => !aw.includes(n));
    const added = aw.filter((n) => !bw.includes(n));
    const taken = new Set<string>();
    for (const name of removed) {
      const to =
        added.find(
          (x) => !taken.has(x) && renamedFrom(obj(obj(this.a.doc.webhooks)[x])) === name,
        ) ??
        (this.inferRenames
          ? added.find(
              (x) =>
                !taken.has(x) &&
                this.webhookShape(this.b, name, x) === this.webhookShape(this.a, x, x),
            )
          : undefined);
      if (to !== undefined) {
        taken.add(to);
        f.add({
          rule: "webhook-renamed",
          webhook: to,
          pointer: `/webhooks/${escapePointer(to)}`,
          direction: "output",
          before: name,
          after: to,
          message: `Event type ${name} was renamed to ${to}; receivers that match on ${name} miss it.`,
        });
      } else {
        f.add({
          rule: "webhook-removed",
          webhook: name,
          pointer: `/webhooks/${escapePointer(name)}`,
          direction: "output",
          before: name,
          after: null,
          message: `Event type ${name} is no longer sent.`,
        });
      }
    }
    for (const name of added) {
      if (!taken.has(name))
        f.add({
          rule: "webhook-added",
          webhook: name,
          pointer: `/webhooks/${escapePointer(name)}`,
          direction: "output",
          before: null,
          after: name,
          message: `New event type ${name}.`,
        });
    }
    for (const name of bw) {
      if (!aw.includes(name)) continue;
      const before = new Map(this.webhookEntries(this.b.doc, name).map((e) => [e.method, e]));
      for (const ae of this.webhookEntries(this.a.doc, name)) {
        const be = before.get(ae.method);
        if (be !== undefined) this.compareOperation(be, ae, { webhook: name }, true);
      }
    }
  }

  // ---- document-wide contracts ------------------------------------------------------------

  /**
   * The error-code catalogue of each operation and error status: the string enum at `code`,
   * `error.code`, `error_code` or `errors[].code` of the error body, or at the property named by
   * `x-error-code-property` (on the response, its media type or the document root).
   */
  private errorCatalogue(side: Side): Map<string, Catalogue> {
    const out = new Map<string, Catalogue>();
    const named = side.doc["x-error-code-property"];
    for (const e of operations(side.doc).values()) {
      for (const [status, r] of Object.entries(obj(e.op.responses))) {
        if (!/^[45]/.test(status) && status !== "default") continue;
        const response = obj(r);
        for (const [mt, m] of Object.entries(obj(response.content))) {
          const media = obj(m);
          const declared =
            media["x-error-code-property"] ?? response["x-error-code-property"] ?? named;
          const paths = typeof declared === "string" ? [declared] : ERROR_CODE_PATHS;
          const body = side.norm.schema(media.schema);
          for (const path of paths) {
            const code = codeSchema(body, path);
            if (code?.enum === undefined) continue;
            this.registry.add(code.uid);
            const meanings = meaningsOf(code);
            const key = `${e.key} ${status.toUpperCase()}`;
            const entry = out.get(key) ?? {
              operation: e.label,
              pointer: `${e.pointer}/responses/${escapePointer(status)}/content/${escapePointer(mt)}/schema`,
              component: code.component,
              codes: new Map<string, string | undefined>(),
            };
            for (const k of code.enum.keys()) {
              if (k === "null") continue;
              const value = String(JSON.parse(k));
              entry.codes.set(value, meanings[value]);
            }
            out.set(key, entry);
            break;
          }
        }
      }
    }
    return out;
  }

  private compareErrorRegistry(): void {
    const before = this.errorCatalogue(this.b);
    const after = this.errorCatalogue(this.a);
    interface Change {
      rule: string;
      code: string;
      to: string | null;
      meaning: string | undefined;
      component: string | undefined;
      pointer: string;
      /** `METHOD /path` → statuses where it shows. */
      places: Map<string, string[]>;
    }
    const changes = new Map<string, Change>();
    /** Every (operation, status) both sides document, per component holding the codes. */
    const common = new Map<string, number>();
    const note = (
      rule: string,
      code: string,
      to: string | null,
      meaning: string | undefined,
      entry: Catalogue,
      status: string,
      component: string | undefined,
    ) => {
      const shown = to ?? code;
      const pointer =
        component === undefined
          ? `${entry.pointer}/${escapePointer(shown)}`
          : `/components/schemas/${escapePointer(component)}/${escapePointer(shown)}`;
      const key = `${rule}|${code}|${to}|${pointer}`;
      const c = changes.get(key) ?? {
        rule,
        code,
        to,
        meaning,
        component,
        pointer,
        places: new Map(),
      };
      c.places.set(entry.operation, [...(c.places.get(entry.operation) ?? []), status]);
      changes.set(key, c);
    };
    for (const [key, b] of before) {
      const a = after.get(key);
      // A whole error response gone is error-response-removed; operations removed, operation-removed.
      if (a === undefined) continue;
      const status = key.slice(key.lastIndexOf(" ") + 1);
      const component = a.component ?? b.component;
      if (component !== undefined) common.set(component, (common.get(component) ?? 0) + 1);
      const removed = [...b.codes.keys()].filter((c) => !a.codes.has(c));
      const added = [...a.codes.keys()].filter((c) => !b.codes.has(c));
      const renamed = new Set<string>();
      for (const code of removed) {
        const meaning = b.codes.get(code);
        // A rename is a removal plus an addition with the very same documented meaning.
        const to =
          meaning === undefined
            ? undefined
            : added.find((x) => !renamed.has(x) && a.codes.get(x) === meaning);
        if (to !== undefined) renamed.add(to);
        note(
          to === undefined ? "error-code-removed" : "error-code-renamed",
          code,
          to ?? null,
          meaning,
          a,
          status,
          component,
        );
      }
      for (const code of added)
        if (!renamed.has(code))
          note("error-code-added", code, null, undefined, a, status, component);
    }
    for (const c of changes.values()) {
      const count = [...c.places.values()].reduce((n, l) => n + l.length, 0);
      // A shared catalogue edited for every operation that uses it is one document-wide finding;
      // a code dropped from some operations only is reported for each of them.
      const everywhere = c.component !== undefined && count === common.get(c.component);
      const message = (where: string) =>
        c.rule === "error-code-renamed"
          ? `Error code ${c.code} was renamed to ${c.to}${where} (same meaning: "${c.meaning}"); clients that handle ${c.code} will not recognise it.`
          : c.rule === "error-code-removed"
            ? `Error code ${c.code} was removed${where}; clients that handle it will never see it again, and may see an unknown code instead.`
            : `New error code ${c.code}${where}.`;
      const before = c.rule === "error-code-added" ? null : c.code;
      const after = c.rule === "error-code-added" ? c.code : c.to;
      const place = { pointer: c.pointer, component: c.component };
      if (everywhere) {
        this.findings.add({
          rule: c.rule,
          ...place,
          direction: "output",
          before,
          after,
          message: message(""),
        });
        continue;
      }
      for (const [operation, statuses] of c.places)
        this.findings.add({
          rule: c.rule,
          operation,
          ...place,
          direction: "output",
          before,
          after,
          message: message(
            ` from the ${statuses.join(", ")} response${statuses.length > 1 ? "s" : ""}`,
          ),
        });
    }
  }

  private compareSignature(): void {
    const key = "x-webhook-signature";
    const b = this.b.doc[key];
    const a = this.a.doc[key];
    if (b === undefined) {
      if (a !== undefined)
        this.findings.add({
          rule: "documentation-changed",
          pointer: `/${key}`,
          direction: "none",
          before: null,
          after: a,
          message: "The webhook signature is now described.",
        });
      return;
    }
    const bo = obj(b);
    const ao = obj(a);
    for (const k of [...new Set([...Object.keys(bo), ...Object.keys(ao)])]) {
      if (JSON.stringify(bo[k]) === JSON.stringify(ao[k])) continue;
      this.findings.add({
        rule: "webhook-signature-changed",
        pointer: `/${key}/${escapePointer(k)}`,
        direction: "output",
        before: bo[k] ?? null,
        after: ao[k] ?? null,
        message: `The webhook signature's ${k} changed from ${JSON.stringify(bo[k] ?? null)} to ${JSON.stringify(ao[k] ?? null)}: receivers' verification breaks.`,
      });
    }
  }
}

export interface DiffOptions {
  /**
   * Take a removed and an added item of the same shape for a rename. Only for a declared version
   * change (two dated versions of this API, as `wth check` and the release tooling compare);
   * otherwise a rename needs evidence: the same operationId or an `x-renamed-from` extension.
   */
  inferRenames?: boolean;
  /** Filled with milliseconds per rule family when given (`wth diff --timings`, the bench). */
  timings?: Record<string, number>;
}

export function diffDocuments(
  base: LoadedDocument,
  revision: LoadedDocument,
  options: DiffOptions = { inferRenames: true },
): Finding[] {
  const side = (d: LoadedDocument): Side => ({
    doc: d.root,
    norm: new Normalizer(d.components),
    components: d.components,
  });
  const diff = new DocumentDiff(side(base), side(revision), options.inferRenames === true);
  const findings = diff.run();
  if (options.timings !== undefined) Object.assign(options.timings, diff.timings);
  return findings;
}
