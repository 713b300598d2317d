/**
 * Walks two resolved documents side by side and dispatches each pair of nodes to the rules
 * (visitor.ts): the error-code catalogues and the webhook signature first, then operations
 * matched by method and path template (path-parameter names ignored), their security,
 * parameters, request bodies, responses, headers and media types, then webhooks by event type.
 * Schemas are handed to the schema walker with their direction. No rule logic lives here.
 */
import { SchemaWalker } from "./compare-schema.ts";
import { errorCatalogue } from "./error-catalogue.ts";
import { escapePointer, Findings, type Scope } from "./findings.ts";
import type { LoadedDocument } from "./load.ts";
import { forgetNodes } from "./memo.ts";
import { Normalizer, type NSchema } from "./normalize.ts";
import {
  headerSchema,
  type OperationEntry,
  obj,
  operations,
  type Param,
  parameters,
  webhookEntries,
} from "./operations.ts";
import { paginationOf } from "./pagination.ts";
import { rules } from "./rules/index.ts";
import type { Direction, Finding, Rule } from "./types.ts";
import {
  type DiffState,
  Dispatcher,
  type Json,
  type NamedHeader,
  type Role,
  type Side,
} from "./visitor.ts";

class DocumentWalk {
  readonly findings = new Findings();
  private readonly dispatch: Dispatcher;
  private readonly state: DiffState;
  private readonly schemas: SchemaWalker;

  /** Milliseconds per rule family; the subschema backstop is taken out of the walks it ran in. */
  readonly timings: Record<string, number> = { "subschema backstop": 0 };

  constructor(b: Side, a: Side, inferRenames: boolean, registered: readonly Rule[]) {
    this.dispatch = new Dispatcher(registered, this.findings);
    this.state = { base: b, revision: a, inferRenames, registry: new Set(), moved: new Map() };
    this.schemas = new SchemaWalker(this.state, this.findings, this.dispatch, this.timings);
  }

  private timed(family: string, work: () => void): void {
    const started = performance.now();
    const backstop = this.timings["subschema backstop"] ?? 0;
    work();
    const inner = (this.timings["subschema backstop"] ?? 0) - backstop;
    this.timings[family] = (this.timings[family] ?? 0) + performance.now() - started - inner;
  }

  run(): Finding[] {
    const diff = this.state;
    this.timed("error codes", () =>
      // The catalogues fill the registry, which keeps error-code enums out of the schema rules.
      this.dispatch.visit("errorCodes", {
        diff,
        scope: {},
        pointer: "",
        direction: "output",
        base: errorCatalogue(diff.base, diff.registry),
        revision: errorCatalogue(diff.revision, diff.registry),
      }),
    );
    this.timed("webhook signature", () =>
      this.dispatch.visit("document", {
        diff,
        scope: {},
        pointer: "",
        direction: "none",
        base: diff.base.doc,
        revision: diff.revision.doc,
      }),
    );
    this.timed("operations (named rules)", () => this.walkOperations());
    this.timed("webhooks (named rules)", () => this.walkWebhooks());
    return this.findings.list;
  }

  private walkOperations(): void {
    const diff = this.state;
    const before = operations(diff.base.doc);
    const after = operations(diff.revision.doc);
    this.dispatch.visit("operations", {
      diff,
      scope: {},
      pointer: "",
      direction: "none",
      base: before,
      revision: after,
    });
    for (const [key, be] of before) {
      const ae = after.get(key);
      if (ae !== undefined) this.walkOperation(be, ae, { operation: ae.label }, false);
    }
  }

  private walkWebhooks(): void {
    const diff = this.state;
    const bw = Object.keys(obj(diff.base.doc.webhooks));
    const aw = Object.keys(obj(diff.revision.doc.webhooks));
    this.dispatch.visit("webhooks", {
      diff,
      scope: {},
      pointer: "",
      direction: "output",
      base: bw,
      revision: aw,
    });
    for (const name of bw) {
      if (!aw.includes(name)) continue;
      const before = new Map(webhookEntries(diff.base.doc, name).map((e) => [e.method, e]));
      for (const ae of webhookEntries(diff.revision.doc, name)) {
        const be = before.get(ae.method);
        if (be !== undefined) this.walkOperation(be, ae, { webhook: name }, true);
      }
    }
  }

  private walkOperation(
    be: OperationEntry,
    ae: OperationEntry,
    scope: Scope,
    webhook: boolean,
  ): void {
    // Paired by path template: `{id}` may be `{thing_id}` in the base, so its pointers differ.
    if (be.pointer !== ae.pointer) this.state.moved.set(ae.pointer, be.pointer);
    const node = {
      diff: this.state,
      scope,
      pointer: ae.pointer,
      direction: "none" as const,
      base: be,
      revision: ae,
      webhook,
    };
    this.dispatch.visit("operation", node);
    // A webhook's security is the receiver's business, not a contract of ours.
    if (!webhook) this.dispatch.visit("security", { ...node, direction: "input" });
    this.walkParameters(be, ae, scope, webhook);
    this.walkRequestBody(be, ae, scope, webhook);
    this.walkResponses(be, ae, scope, webhook);
  }

  private walkParameters(
    be: OperationEntry,
    ae: OperationEntry,
    scope: Scope,
    webhook: boolean,
  ): void {
    const bp = parameters(be);
    const ap = parameters(ae);
    const at = (p: Param) => `${ae.pointer}/parameters/${p.where}/${escapePointer(p.name)}`;
    // A webhook's headers are sent by us (output); an operation's parameters by the client.
    const direction: Direction = webhook ? "output" : "input";
    const common = { diff: this.state, scope, direction, webhook };
    this.dispatch.visit("parameters", {
      ...common,
      pointer: `${ae.pointer}/parameters`,
      base: bp,
      revision: ap,
      at,
    });
    for (const [key, b] of bp) {
      const a = ap.get(key);
      if (a === undefined) continue;
      this.dispatch.visit("parameter", { ...common, pointer: at(a), base: b, revision: a });
      const role: Role = b.where === "header" ? "header" : (paginationOf(b) ?? "body");
      const bs = this.state.base.norm.schema(b.schema);
      let as = this.state.revision.norm.schema(a.schema);
      let pointer = `${at(a)}/schema`;
      // A lone value is sent exactly like a one-item array (form and simple styles), so a
      // parameter that became an array is judged by its items against the old scalar.
      const array = (s: NSchema) => s.types?.length === 1 && s.types[0] === "array";
      if (
        direction === "input" &&
        array(as) &&
        !array(bs) &&
        as.items !== undefined &&
        bs.types !== undefined
      ) {
        as = as.items;
        pointer = `${pointer}/items`;
      }
      this.schemas.judge(bs, as, { scope, direction, pointer, role, parameter: true });
    }
  }

  private walkRequestBody(
    be: OperationEntry,
    ae: OperationEntry,
    scope: Scope,
    webhook: boolean,
  ): void {
    const b = be.op.requestBody === undefined ? undefined : obj(be.op.requestBody);
    const a = ae.op.requestBody === undefined ? undefined : obj(ae.op.requestBody);
    const ptr = `${ae.pointer}/requestBody`;
    const direction: Direction = webhook ? "output" : "input";
    const common = { diff: this.state, scope, direction, webhook };
    this.dispatch.visit("requestBody", { ...common, pointer: ptr, base: b, revision: a });
    this.walkContent(obj(b?.content), obj(a?.content), {
      ...common,
      pointer: `${ptr}/content`,
      of: "requestBody",
      status: "",
    });
  }

  /** The media types of a request body or a response: one-sided ones dispatched, pairs judged. */
  private walkContent(
    bc: Json,
    ac: Json,
    node: {
      diff: DiffState;
      scope: Scope;
      direction: Direction;
      webhook: boolean;
      pointer: string;
      of: "requestBody" | "response";
      status: string;
    },
  ): void {
    const at = (mt: string) => `${node.pointer}/${escapePointer(mt)}`;
    const removed = Object.keys(bc).filter((mt) => !Object.hasOwn(ac, mt));
    const added = Object.keys(ac).filter((mt) => !Object.hasOwn(bc, mt));
    if (removed.length > 0 || added.length > 0)
      this.dispatch.visit("content", { ...node, removed, added, at });
    for (const mt of Object.keys(bc)) {
      if (!Object.hasOwn(ac, mt)) continue;
      const bs = this.state.base.norm.schema(obj(bc[mt]).schema);
      const as = this.state.revision.norm.schema(obj(ac[mt]).schema);
      this.schemas.judge(bs, as, {
        scope: node.scope,
        direction: node.direction,
        pointer: `${at(mt)}/schema`,
        role: "body",
        parameter: false,
      });
    }
  }

  private walkResponses(
    be: OperationEntry,
    ae: OperationEntry,
    scope: Scope,
    webhook: boolean,
  ): void {
    // For a webhook, the responses are the receiver's acknowledgement: we read them (input).
    const direction: Direction = webhook ? "input" : "output";
    const byStatus = (r: unknown) => {
      const m = new Map<string, Json>();
      for (const [k, v] of Object.entries(obj(r))) m.set(k.toUpperCase(), obj(v));
      return m;
    };
    const br = byStatus(be.op.responses);
    const ar = byStatus(ae.op.responses);
    const ptr = (status: string) => `${ae.pointer}/responses/${status}`;
    const common = { diff: this.state, scope, direction, webhook };
    this.dispatch.visit("responses", {
      ...common,
      pointer: `${ae.pointer}/responses`,
      base: br,
      revision: ar,
      at: ptr,
    });
    for (const [status, b] of br) {
      const a = ar.get(status);
      if (a === undefined) continue;
      this.dispatch.visit("response", {
        ...common,
        pointer: ptr(status),
        status,
        base: b,
        revision: a,
      });
      this.walkHeaders(b, a, scope, `${ptr(status)}/headers`, webhook);
      this.walkContent(obj(b.content), obj(a.content), {
        ...common,
        pointer: `${ptr(status)}/content`,
        of: "response",
        status,
      });
    }
  }

  private walkHeaders(b: Json, a: Json, scope: Scope, pointer: string, webhook: boolean): void {
    const lower = (h: unknown) =>
      new Map<string, NamedHeader>(
        Object.entries(obj(h)).map(([k, v]) => [k.toLowerCase(), { name: k, h: obj(v) }]),
      );
    const bh = lower(b.headers);
    const ah = lower(a.headers);
    const direction: Direction = webhook ? "input" : "output";
    const at = (name: string) => `${pointer}/${escapePointer(name)}`;
    const common = { diff: this.state, scope, direction, webhook };
    if (bh.size > 0 || ah.size > 0)
      this.dispatch.visit("headers", { ...common, pointer, base: bh, revision: ah, at });
    for (const [k, bv] of bh) {
      const av = ah.get(k);
      if (av === undefined) continue;
      this.dispatch.visit("header", { ...common, pointer: at(av.name), base: bv, revision: av });
      const bs = this.state.base.norm.schema(headerSchema(bv.h));
      const as = this.state.revision.norm.schema(headerSchema(av.h));
      this.schemas.compare(bs, as, {
        scope,
        direction,
        pointer: `${at(av.name)}/schema`,
        role: "header",
        parameter: false,
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
  /** The rules to run; all registered ones unless a test leaves some out. */
  rules?: readonly Rule[];
}

export function diffDocuments(
  base: LoadedDocument,
  revision: LoadedDocument,
  options: DiffOptions = { inferRenames: true },
): Finding[] {
  const side = (d: LoadedDocument): Side => ({
    doc: d.root,
    norm: new Normalizer(d.components),
  });
  const walk = new DocumentWalk(
    side(base),
    side(revision),
    options.inferRenames === true,
    options.rules ?? rules,
  );
  let findings: Finding[];
  try {
    findings = walk.run();
  } finally {
    forgetNodes();
  }
  if (options.timings !== undefined) Object.assign(options.timings, walk.timings);
  return findings;
}
