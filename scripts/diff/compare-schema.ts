/**
 * Walks two normalised schemas side by side with a direction (what a client sends, input, or
 * receives, output) and dispatches every pair to the rules: the pair itself, its data keywords,
 * each changed unmodelled keyword, its properties, its alternatives, then each child pair
 * (properties, items, additionalProperties, alternatives) at every depth. After a walk that found
 * a change but nothing breaking, the subschema check is offered to the rules as a backstop.
 */
import type { Findings, Scope } from "./findings.ts";
import { anything, mergeSchemas, type NSchema, withoutVariants } from "./normalize.ts";
import { NEXT_CURSOR_FIELDS } from "./pagination.ts";
import { escapePointer } from "./pointer.ts";
import { pairProperties } from "./rename-evidence.ts";
import { fieldName, keywordPlain, variantKey } from "./schema-text.ts";
import { keywordText, shapeOf } from "./shape.ts";
import { includes, includesAllowing, type Verdict } from "./subschema.ts";
import type { Direction } from "./types.ts";
import type {
  BackstopNode,
  DiffState,
  Dispatcher,
  KeywordNode,
  PropertiesNode,
  Role,
  SchemaNode,
  VariantsNode,
} from "./visitor.ts";

/** Where a schema pair sits: everything a node of it needs beyond the two schemas. */
export interface SchemaPlace {
  scope: Scope;
  direction: Direction;
  pointer: string;
  role: Role;
  /** A parameter's schema (query, path, header, cookie): its values travel as text. */
  parameter: boolean;
  component?: string | undefined;
}

interface Walk extends SchemaPlace {
  visited: Set<string>;
}

/** A schema node whose `name` is worked out only when a rule reports something. */
class PairNode implements SchemaNode {
  readonly scope: Scope;
  readonly pointer: string;
  readonly direction: Direction;
  readonly component: string | undefined;
  readonly role: Role;
  readonly parameter: boolean;
  private shownName: string | undefined;

  constructor(
    readonly diff: DiffState,
    readonly base: NSchema,
    readonly revision: NSchema,
    place: SchemaPlace,
  ) {
    this.scope = place.scope;
    this.pointer = place.pointer;
    this.direction = place.direction;
    this.component = place.component;
    this.role = place.role;
    this.parameter = place.parameter;
  }

  get name(): string {
    this.shownName ??= fieldName(this.pointer, this.component);
    return this.shownName;
  }
}

/** One changed unmodelled keyword of a pair. */
class KeywordPair extends PairNode implements KeywordNode {
  constructor(
    diff: DiffState,
    base: NSchema,
    revision: NSchema,
    place: SchemaPlace,
    readonly key: string,
    readonly inBase: boolean,
    readonly inRevision: boolean,
    readonly before: unknown,
    readonly after: unknown,
  ) {
    super(diff, base, revision, place);
  }

  get shown(): string {
    return this.key.replace(/#\d+$/, "");
  }
}

/** A pair's properties, paired by name. */
class PropertiesPair extends PairNode implements PropertiesNode {
  constructor(
    diff: DiffState,
    base: NSchema,
    revision: NSchema,
    place: SchemaPlace,
    readonly removed: string[],
    readonly added: string[],
    readonly renames: Map<string, string>,
    readonly common: string[],
  ) {
    super(diff, base, revision, place);
  }

  at(key: string): string {
    return `${this.pointer}/properties/${escapePointer(key)}`;
  }
}

/** A pair's alternatives left without a partner. */
class VariantsPair extends PairNode implements VariantsNode {
  constructor(
    diff: DiffState,
    base: NSchema,
    revision: NSchema,
    place: SchemaPlace,
    readonly keyword: "oneOf" | "anyOf",
    readonly removed: { label: string; index: number }[],
    readonly added: { label: string; index: number }[],
  ) {
    super(diff, base, revision, place);
  }
}

/** The backstop's node: the subschema verdict is computed only if a rule asks for it. */
class BackstopPair extends PairNode implements BackstopNode {
  constructor(
    diff: DiffState,
    base: NSchema,
    revision: NSchema,
    place: SchemaPlace,
    private readonly decide: () => Verdict,
  ) {
    super(diff, base, revision, place);
  }

  get verdict(): Verdict {
    return this.decide();
  }
}

export class SchemaWalker {
  /** Pairs already compared without any finding, shared by the whole document diff. */
  private readonly clean = new Set<string>();
  /** How often a cycle cut the walk short: a pair whose walk was cut is never marked clean. */
  private cuts = 0;
  private readonly verdicts = new Map<string, Verdict>();

  constructor(
    private readonly diff: DiffState,
    private readonly findings: Findings,
    private readonly dispatch: Dispatcher,
    private readonly timings: Record<string, number>,
  ) {}

  /**
   * The named rules first, then the subschema check as a backstop: when the rules found nothing
   * breaking but the principle finds a request value now rejected (or a response value newly
   * possible), or cannot prove there is none, a rule may report it.
   */
  judge(b: NSchema, a: NSchema, place: SchemaPlace): void {
    const found = this.findings.list.length;
    this.compare(b, a, place);
    // Nothing differs that the walk can see (every keyword is kept, modelled or not): the
    // pair is equal, and proving inclusion again would only cost time on large documents.
    if (this.findings.list.length === found) return;
    if (this.findings.list.slice(found).some((f) => f.breaking)) return;
    const started = performance.now();
    try {
      const node = new BackstopPair(
        this.diff,
        b,
        a,
        { ...place, component: a.component ?? b.component },
        this.verdictOf(b, a, place),
      );
      this.dispatch.visit("backstop", node);
    } finally {
      this.timings["subschema backstop"] =
        (this.timings["subschema backstop"] ?? 0) + performance.now() - started;
    }
  }

  /** The subschema verdict of a pair, computed when a rule first asks and kept for the run. */
  private verdictOf(b: NSchema, a: NSchema, place: SchemaPlace): () => Verdict {
    return () => {
      const input = place.direction === "input";
      const key = `${b.uid}:${a.uid}:${place.direction}:${place.parameter}`;
      let verdict = this.verdicts.get(key);
      if (verdict === undefined) {
        const allow = {
          newFields: input ? ("wide" as const) : ("narrow" as const),
          ignoreEnums: this.diff.registry,
          textual: place.parameter,
        };
        verdict = input ? includesAllowing(a, b, allow) : includesAllowing(b, a, allow);
        this.verdicts.set(key, verdict);
      }
      return verdict;
    };
  }

  compare(b: NSchema, a: NSchema, place: SchemaPlace): void {
    this.walk(b, a, { ...place, visited: new Set() });
  }

  private walk(b: NSchema, a: NSchema, ctx: Walk): void {
    const pair = `${b.uid}:${a.uid}:${ctx.direction}:${ctx.role}`;
    if (ctx.visited.has(pair)) {
      this.cuts++;
      return;
    }
    // Shared components recur in hundreds of operations: a pair known to be unchanged is skipped.
    if (this.clean.has(pair)) return;
    ctx.visited.add(pair);
    const found = this.findings.list.length;
    const cuts = this.cuts;
    this.pair(b, a, ctx);
    if (this.findings.list.length === found && this.cuts === cuts) this.clean.add(pair);
  }

  private pair(b: NSchema, a: NSchema, outer: Walk): void {
    const ctx: Walk = { ...outer, component: a.component ?? b.component ?? outer.component };
    const node = new PairNode(this.diff, b, a, ctx);
    this.dispatch.visit("schema", node);

    if (ctx.role !== "body") {
      if (shapeOf(b, 8) === shapeOf(a, 8)) return;
      // `limit` still accepting every value it accepted (same default) is a request schema like
      // any other: raising its maximum breaks nobody. Headers and cursors stay formats (DESIGN.md:
      // changing a header or cursor format is breaking), whichever way they move.
      const sameDefault =
        b.hasDefault === a.hasDefault && JSON.stringify(b.default) === JSON.stringify(a.default);
      if (ctx.direction === "input" && ctx.role === "limit" && sameDefault) {
        if (includes(a, b) === "yes") {
          this.walk(b, a, { ...ctx, role: "body" });
          return;
        }
      }
      this.dispatch.visit("formatted", node);
      return;
    }

    // One side is a set of alternatives and the other one plain schema: compare alternatives.
    if ((b.variants === undefined) !== (a.variants === undefined)) {
      this.alternatives(b, a, ctx);
      return;
    }
    this.dispatch.visit("value", node);
    this.keywords(b, a, ctx);
    this.properties(b, a, ctx);

    if (b.items !== undefined || a.items !== undefined) {
      // An `items` that appeared or went is compared against the schema that accepts anything.
      this.walk(b.items ?? anything(), a.items ?? anything(), {
        ...ctx,
        pointer: `${ctx.pointer}/items`,
      });
    }
    if (
      (typeof b.additional === "object" || typeof a.additional === "object") &&
      b.additional !== false &&
      a.additional !== false
    ) {
      // `true` is the schema that accepts anything; a schema appearing or going is judged so.
      const bx = b.additional === true ? anything() : b.additional;
      const ax = a.additional === true ? anything() : a.additional;
      this.walk(bx, ax, { ...ctx, pointer: `${ctx.pointer}/additionalProperties` });
    }
    this.variants(b, a, ctx);
  }

  /** Each unmodelled keyword that changed, as its own node. */
  private keywords(b: NSchema, a: NSchema, ctx: Walk): void {
    if (b.extra.size === 0 && a.extra.size === 0) return;
    const keys = [...new Set([...b.extra.keys(), ...a.extra.keys()])].sort();
    for (const key of keys) {
      const bk = b.extra.get(key);
      const ak = a.extra.get(key);
      if (bk !== undefined && ak !== undefined && keywordText(bk, 6) === keywordText(ak, 6))
        continue;
      this.dispatch.visit(
        "keyword",
        new KeywordPair(
          this.diff,
          b,
          a,
          ctx,
          key,
          bk !== undefined,
          ak !== undefined,
          keywordPlain(bk),
          keywordPlain(ak),
        ),
      );
    }
  }

  private properties(b: NSchema, a: NSchema, ctx: Walk): void {
    const dir = ctx.direction;
    // A read-only field is not part of a request, a write-only one not part of a response.
    const visible = (s: NSchema, key: string) => {
      const p = s.properties.get(key);
      if (p === undefined) return s.required.has(key);
      return dir === "input" ? !p.readOnly : !p.writeOnly;
    };
    const bKeys = [...new Set([...b.properties.keys(), ...b.required])].filter((k) =>
      visible(b, k),
    );
    const aKeys = [...new Set([...a.properties.keys(), ...a.required])].filter((k) =>
      visible(a, k),
    );
    if (bKeys.length === 0 && aKeys.length === 0) return;
    const { removed, added, renames } = pairProperties(b, a, bKeys, aKeys, this.diff.inferRenames);
    const aSet = new Set(aKeys);
    const common = bKeys.filter((k) => aSet.has(k));
    const node = new PropertiesPair(this.diff, b, a, ctx, removed, added, renames, common);
    this.dispatch.visit("properties", node);
    for (const k of common) {
      const bs = b.properties.get(k);
      const as = a.properties.get(k);
      if (bs !== undefined && as !== undefined) {
        this.walk(bs, as, {
          ...ctx,
          pointer: node.at(k),
          role: dir === "output" && NEXT_CURSOR_FIELDS.has(k) ? "next-cursor" : "body",
        });
      }
    }
  }

  /** Both sides offer alternatives: paired by a constant tag, then shape, then position. */
  private variants(b: NSchema, a: NSchema, ctx: Walk): void {
    const bv = b.variants ?? [];
    const av = a.variants ?? [];
    if (bv.length === 0 && av.length === 0) return;
    const pairs: [number, number][] = [];
    const usedA = new Set<number>();
    const usedB = new Set<number>();
    const match = (key: (s: NSchema) => string | undefined) => {
      bv.forEach((x, i) => {
        if (usedB.has(i)) return;
        const kx = key(x);
        if (kx === undefined) return;
        const j = av.findIndex((y, jj) => !usedA.has(jj) && key(y) === kx);
        if (j >= 0) {
          pairs.push([i, j]);
          usedA.add(j);
          usedB.add(i);
        }
      });
    };
    match(variantKey);
    match((s) => shapeOf(s, 3));
    if (bv.length === av.length)
      match((s) => String(bv.indexOf(s) >= 0 ? bv.indexOf(s) : av.indexOf(s)));
    for (const [i, j] of pairs) {
      this.walk(bv[i] as NSchema, av[j] as NSchema, {
        ...ctx,
        pointer: `${ctx.pointer}/oneOf/${j}`,
      });
    }
    const removed = bv.flatMap((x, i) =>
      usedB.has(i) ? [] : [{ label: variantKey(x) ?? `#${i}`, index: i }],
    );
    const added = av.flatMap((y, j) =>
      usedA.has(j) ? [] : [{ label: variantKey(y) ?? `#${j}`, index: j }],
    );
    if (removed.length > 0 || added.length > 0)
      this.dispatch.visit(
        "variants",
        new VariantsPair(this.diff, b, a, ctx, "oneOf", removed, added),
      );
  }

  /**
   * One side offers alternatives (`anyOf`/`oneOf`) and the other is one plain schema. Each
   * alternative carries the outer keywords with it. For a request, every way the base accepted a
   * value must still be accepted by some alternative of the revision; for a response, every
   * alternative the revision may produce must be one the base could produce.
   */
  private alternatives(b: NSchema, a: NSchema, ctx: Walk): void {
    const spread = (s: NSchema) =>
      s.variants === undefined ? [s] : s.variants.map((v) => mergeSchemas(withoutVariants(s), v));
    const bv = spread(b);
    const av = spread(a);
    const input = ctx.direction === "input";
    // The side whose every member must be covered: the base for a request, the revision for a response.
    const must = input ? bv : av;
    const may = input ? av : bv;
    const used = new Set<number>();
    must.forEach((m, i) => {
      let j = may.findIndex((c) => includes(c, m) === "yes");
      if (j < 0)
        j = may.findIndex((c) => variantKey(c) !== undefined && variantKey(c) === variantKey(m));
      if (j < 0) j = may.findIndex((c) => shapeOf(c, 2) === shapeOf(m, 2));
      if (j < 0) j = Math.min(i, may.length - 1);
      used.add(j);
      const [x, y] = input ? [m, may[j] as NSchema] : [may[j] as NSchema, m];
      const at = (s: NSchema, list: NSchema[]) =>
        list.length > 1 ? `/anyOf/${list.indexOf(s)}` : "";
      this.walk(x, y, { ...ctx, pointer: `${ctx.pointer}${at(y, av)}` });
    });
    // The unused alternatives of the side that may offer more: the revision's for a request
    // (added), the base's for a response (no longer sent).
    const unused = may.flatMap((m, j) =>
      used.has(j) || may.length === 1 ? [] : [{ label: variantKey(m) ?? `#${j}`, index: j }],
    );
    if (unused.length > 0)
      this.dispatch.visit(
        "variants",
        new VariantsPair(this.diff, b, a, ctx, "anyOf", input ? [] : unused, input ? unused : []),
      );
  }
}
