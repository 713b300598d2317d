/**
 * The rule API of the diff, after Redocly's visitors: the walkers traverse both documents in
 * parallel and, at each pair of nodes, hand the pair to every rule that registered a visitor for
 * that kind of node. A rule reports through its context and never names itself: the dispatcher
 * stamps each finding with the rule that reported it, so a rule id is written only in its file.
 */

import type { Catalogue } from "./error-catalogue.ts";
import type { Findings, Scope } from "./findings.ts";
import type { Normalizer, NSchema } from "./normalize.ts";
import type { OperationEntry, Param } from "./operations.ts";
import type { Direction, PointerPair, Rule } from "./types.ts";

export type Json = Record<string, unknown>;

/** One side of the comparison: the resolved document and its schema normaliser. */
export interface Side {
  doc: Json;
  norm: Normalizer;
}

/** What every node knows about the whole comparison. */
export interface DiffState {
  base: Side;
  revision: Side;
  /**
   * Whether a removed and an added item of the same shape may be taken for a rename. Only when
   * the revision is a declared new dated version; otherwise a rename needs evidence.
   */
  inferRenames: boolean;
  /** Schemas whose enum is an error-code catalogue, judged by the error-code rules instead. */
  registry: Set<number>;
  /** Revision operation pointer → the base's, for operations paired under another path. */
  moved: Map<string, string>;
}

/** The base's pointer for a revision pointer: itself, unless it is inside a moved operation. */
function inBase(diff: DiffState, pointer: string): string {
  // `/paths/<path>/<method>` is the operation; anything after it is the same on both sides.
  const op = /^\/paths\/[^/]*\/[^/]*/.exec(pointer)?.[0];
  const from = op === undefined ? undefined : diff.moved.get(op);
  return from === undefined ? pointer : from + pointer.slice(op?.length ?? 0);
}

/** Where a node is, and the defaults a report from it takes. */
export interface NodeBase {
  diff: DiffState;
  scope: Scope;
  pointer: string;
  direction: Direction | "none";
  component?: string | undefined;
}

/** The whole document pair: its top-level contracts (the webhook signature). */
export interface DocumentNode extends NodeBase {
  base: Json;
  revision: Json;
}

/** The error-code catalogue of every operation and error status on each side. */
export interface ErrorCodesNode extends NodeBase {
  base: Map<string, Catalogue>;
  revision: Map<string, Catalogue>;
}

/** Every operation on each side, keyed by method and path template. */
export interface OperationsNode extends NodeBase {
  base: Map<string, OperationEntry>;
  revision: Map<string, OperationEntry>;
}

/** Every webhook (event type) name on each side. */
export interface WebhooksNode extends NodeBase {
  base: string[];
  revision: string[];
}

/** An operation (or a webhook's operation) present on both sides. */
export interface OperationNode extends NodeBase {
  base: OperationEntry;
  revision: OperationEntry;
  /** A webhook: we send the request and read the receiver's response. */
  webhook: boolean;
}

/** The merged parameter lists of an operation pair. */
export interface ParametersNode extends NodeBase {
  base: Map<string, Param>;
  revision: Map<string, Param>;
  webhook: boolean;
  /** `<operation pointer>/parameters/<in>/<name>` for a parameter of either side. */
  at(p: Param): string;
}

/** A parameter present on both sides. */
export interface ParameterNode extends NodeBase {
  base: Param;
  revision: Param;
  webhook: boolean;
}

/** An operation's request body on each side (either may be absent). */
export interface RequestBodyNode extends NodeBase {
  base: Json | undefined;
  revision: Json | undefined;
  webhook: boolean;
}

/** The media types of a request body or of one response, present on one side only. */
export interface ContentNode extends NodeBase {
  /** Whose content: the request body, or the response of `status`. */
  of: "requestBody" | "response";
  status: string;
  webhook: boolean;
  removed: string[];
  added: string[];
  /** Pointer of one media type. */
  at(mediaType: string): string;
}

/** The responses of an operation pair, keyed by upper-case status. */
export interface ResponsesNode extends NodeBase {
  base: Map<string, Json>;
  revision: Map<string, Json>;
  webhook: boolean;
  at(status: string): string;
}

/** A response present on both sides. */
export interface ResponseNode extends NodeBase {
  status: string;
  base: Json;
  revision: Json;
}

export interface NamedHeader {
  name: string;
  h: Json;
}

/** The headers of a response pair, keyed by lower-case name. */
export interface HeadersNode extends NodeBase {
  base: Map<string, NamedHeader>;
  revision: Map<string, NamedHeader>;
  webhook: boolean;
  at(name: string): string;
}

/** A response header present on both sides. */
export interface HeaderNode extends NodeBase {
  base: NamedHeader;
  revision: NamedHeader;
  webhook: boolean;
}

/** Which contract a schema carries beyond its data: a header's format or pagination. */
export type Role = "body" | "header" | "cursor" | "limit" | "next-cursor";

/** A pair of normalised schemas, judged with a direction. */
export interface SchemaNode extends NodeBase {
  base: NSchema;
  revision: NSchema;
  direction: Direction;
  role: Role;
  /** A parameter's schema: its values travel as text. */
  parameter: boolean;
  /** How messages name this schema: the field, parameter, header or component. */
  readonly name: string;
}

/** A keyword the canonical form does not model, changed between the two schemas. */
export interface KeywordNode extends SchemaNode {
  /** The keyword as kept (`allOf` members may suffix `#n`). */
  key: string;
  /** The keyword as written. */
  shown: string;
  before: unknown;
  after: unknown;
  inBase: boolean;
  inRevision: boolean;
}

/** The properties of a schema pair, paired by name (renames need evidence). */
export interface PropertiesNode extends SchemaNode {
  /** Every name gone, renamed ones included. */
  removed: string[];
  /** Added properties that are not the new name of a removed one. */
  added: string[];
  /** Removed name → new name. */
  renames: Map<string, string>;
  /** Names visible on both sides (in the base's order). */
  common: string[];
  at(key: string): string;
}

/** `oneOf`/`anyOf` alternatives that found no partner on the other side. */
export interface VariantsNode extends SchemaNode {
  keyword: "oneOf" | "anyOf";
  removed: { label: string; index: number }[];
  added: { label: string; index: number }[];
}

/**
 * The subschema check after the named rules found a change but nothing breaking: `yes` (the
 * principle agrees), `no` (a value crosses the line) or `unknown` (it cannot prove either).
 */
export interface BackstopNode extends SchemaNode {
  readonly verdict: "yes" | "no" | "unknown";
}

export interface Nodes {
  document: DocumentNode;
  errorCodes: ErrorCodesNode;
  operations: OperationsNode;
  webhooks: WebhooksNode;
  operation: OperationNode;
  security: OperationNode;
  parameters: ParametersNode;
  parameter: ParameterNode;
  requestBody: RequestBodyNode;
  content: ContentNode;
  responses: ResponsesNode;
  response: ResponseNode;
  headers: HeadersNode;
  header: HeaderNode;
  /** Every schema pair, whatever its role (descriptions, deprecation). */
  schema: SchemaNode;
  /** A header or pagination schema whose format changed: judged as a whole, not descended. */
  formatted: SchemaNode;
  /** A data schema pair: types, enums, meanings, bounds, pattern, format, default... */
  value: SchemaNode;
  keyword: KeywordNode;
  properties: PropertiesNode;
  variants: VariantsNode;
  backstop: BackstopNode;
}

export type NodeKind = keyof Nodes;

/** What a rule reports: where and what; the rule id, verdict and category come from the rule. */
export interface Report {
  /** Defaults to the node's pointer. */
  pointer?: string;
  /** Appended to the pointer (`/enum`, `/maxLength`). */
  sub?: string;
  /**
   * Where it is on each side, when that is not the pointer on both: `null` where the thing does
   * not exist (`{ base: null }` for an addition), the old and new names' pointers for a rename.
   */
  pointers?: Partial<PointerPair>;
  before: unknown;
  after: unknown;
  message: string;
  /** Defaults to the node's scope (its operation or webhook); `{}` for the whole document. */
  scope?: Scope;
  /** Defaults to the node's component. */
  component?: string | undefined;
  direction?: Direction | "none";
}

export interface RuleContext {
  report(finding: Report): void;
}

export type Visitors = { [K in NodeKind]?: (node: Nodes[K], ctx: RuleContext) => void };

/** A rule's context, pointed at the node its visitor is looking at. */
class BoundContext implements RuleContext {
  node: NodeBase | undefined;

  constructor(
    private readonly rule: Rule,
    private readonly findings: Findings,
  ) {}

  report(r: Report): void {
    const node = this.node;
    if (node === undefined) throw new Error(`${this.rule.id} reported outside a visit`);
    const scope = r.scope ?? node.scope;
    const pointer = (r.pointer ?? node.pointer) + (r.sub ?? "");
    const base = r.pointers?.base === undefined ? pointer : r.pointers.base;
    const pointers =
      base === null || node.diff.moved.size === 0
        ? r.pointers
        : { ...r.pointers, base: inBase(node.diff, base) };
    this.findings.add({
      rule: this.rule,
      ...(scope.operation === undefined ? {} : { operation: scope.operation }),
      ...(scope.webhook === undefined ? {} : { webhook: scope.webhook }),
      pointer,
      component: "component" in r ? r.component : node.component,
      direction: r.direction ?? node.direction,
      pointers,
      before: r.before,
      after: r.after,
      message: r.message,
    });
  }
}

type AnyVisitor = (node: NodeBase, ctx: RuleContext) => void;

/** Hands each node pair to the rules that visit its kind, in registry order. */
export class Dispatcher {
  private readonly byKind = new Map<NodeKind, { visit: AnyVisitor; ctx: BoundContext }[]>();

  constructor(rules: readonly Rule[], findings: Findings) {
    for (const rule of rules) {
      const ctx = new BoundContext(rule, findings);
      for (const [kind, visit] of Object.entries(rule.visit) as [NodeKind, AnyVisitor][]) {
        const list = this.byKind.get(kind) ?? [];
        list.push({ visit, ctx });
        this.byKind.set(kind, list);
      }
    }
  }

  visit<K extends NodeKind>(kind: K, node: Nodes[K]): void {
    const list = this.byKind.get(kind);
    if (list === undefined) return;
    for (const entry of list) {
      entry.ctx.node = node;
      entry.visit(node, entry.ctx);
      entry.ctx.node = undefined;
    }
  }
}
