/**
 * Compares two normalised schemas with a direction. An input (what a client sends) breaks when
 * it accepts less; an output (what a client receives) breaks when it guarantees less.
 */

import { compareKeywords } from "./compare-keywords.ts";
import { escapePointer, type Findings, type Scope } from "./findings.ts";
import {
  anything,
  LOWER_BOUNDS,
  mergeSchemas,
  type NSchema,
  UPPER_BOUNDS,
  withoutVariants,
} from "./normalize.ts";
import { shapeOf } from "./shape.ts";
import { compareLower, compareUpper, includes, lowerBound, upperBound } from "./subschema.ts";
import type { Direction } from "./types.ts";

/** Which contract a schema carries beyond its data: a header's format or pagination. */
export type Role = "body" | "header" | "cursor" | "limit" | "next-cursor";

/** Response fields that carry the pagination contract of DESIGN.md. */
export const NEXT_CURSOR_FIELDS = new Set(["next_cursor", "has_more"]);

export interface SchemaContext {
  findings: Findings;
  scope: Scope;
  direction: Direction;
  pointer: string;
  component: string | undefined;
  role: Role;
  visited: Set<string>;
  /** Pairs already compared without any finding, shared by the whole document diff. */
  clean: Set<string>;
  /** How often a cycle cut the walk short: a pair whose walk was cut is never marked clean. */
  stats: { cuts: number };
  /** Schemas whose enum is the error-code registry, judged once for the whole document. */
  registry: Set<number>;
  /**
   * A parameter's schema (query, path, header, cookie): its values travel as text, so a number
   * or boolean is still accepted by an unconstrained string, and a lone value by an array.
   */
  parameter?: boolean;
  /**
   * Whether a removed and an added item of the same shape may be taken for a rename. Only when
   * the revision is a declared new dated version; otherwise a rename needs `x-renamed-from`.
   */
  inferRenames: boolean;
}

function covers(types: string[] | undefined, t: string): boolean {
  if (types === undefined) return true;
  return types.includes(t) || (t === "integer" && types.includes("number"));
}

function typeDelta(b: NSchema, a: NSchema): { lost: string[]; gained: string[] } {
  const lost =
    b.types === undefined
      ? a.types === undefined
        ? []
        : ["any"]
      : b.types.filter((t) => !covers(a.types, t));
  const gained =
    a.types === undefined
      ? b.types === undefined
        ? []
        : ["any"]
      : a.types.filter((t) => !covers(b.types, t));
  return { lost, gained };
}

function typeText(s: NSchema): string {
  return s.types === undefined ? "any" : s.types.length === 0 ? "nothing" : s.types.join(" | ");
}

/** How a message names the schema at `pointer`: the field, parameter, header or component. */
function fieldName(pointer: string, component: string | undefined): string {
  const parts = pointer.split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = parts[parts.length - 1] ?? "";
  const previous = parts[parts.length - 2] ?? "";
  if (previous === "properties") return last;
  if (last === "schema") {
    // A parameter's or header's schema is named after it; a body's after its component.
    if (!previous.includes("/")) return previous;
    return component ?? (parts.includes("requestBody") ? "the request body" : "the response body");
  }
  return component ?? last;
}

export function compareSchema(b: NSchema, a: NSchema, ctx: SchemaContext): void {
  const pair = `${b.uid}:${a.uid}:${ctx.direction}:${ctx.role}`;
  if (ctx.visited.has(pair)) {
    ctx.stats.cuts++;
    return;
  }
  // Shared components recur in hundreds of operations: a pair known to be unchanged is skipped.
  if (ctx.clean.has(pair)) return;
  ctx.visited.add(pair);
  const found = ctx.findings.list.length;
  const cuts = ctx.stats.cuts;
  comparePair(b, a, ctx);
  if (ctx.findings.list.length === found && ctx.stats.cuts === cuts) ctx.clean.add(pair);
}

function comparePair(b: NSchema, a: NSchema, ctx: SchemaContext): void {
  const component = a.component ?? b.component ?? ctx.component;
  const emit = (rule: string, before: unknown, after: unknown, message: string, sub = "") => {
    ctx.findings.add({
      rule,
      ...ctx.scope,
      pointer: ctx.pointer + sub,
      component,
      direction: ctx.direction,
      before,
      after,
      message,
    });
  };
  const name = fieldName(ctx.pointer, component);

  if (b.docs !== a.docs)
    emit(
      "documentation-changed",
      b.docs,
      a.docs,
      `The description or examples of ${name} changed.`,
    );
  if (!b.deprecated && a.deprecated)
    emit("marked-deprecated", false, true, `${name} is now deprecated.`);

  if (ctx.role !== "body") {
    const before = shapeOf(b, 8);
    const after = shapeOf(a, 8);
    if (before === after) return;
    // `limit` still accepting every value it accepted (same default) is judged like any request
    // schema: raising its maximum breaks nobody. Headers and cursors stay formats (DESIGN.md:
    // changing a header or cursor format is breaking), whichever way they move.
    const sameDefault =
      b.hasDefault === a.hasDefault && JSON.stringify(b.default) === JSON.stringify(a.default);
    if (ctx.direction === "input" && ctx.role === "limit" && sameDefault) {
      if (includes(a, b) === "yes") {
        compareSchema(b, a, { ...ctx, role: "body" });
        return;
      }
    }
    const rule =
      ctx.role === "header"
        ? "header-format-changed"
        : ctx.role === "cursor"
          ? "pagination-cursor-changed"
          : ctx.role === "limit"
            ? "pagination-limit-changed"
            : "pagination-next-cursor-changed";
    const what =
      ctx.role === "header"
        ? `The format of header ${name}`
        : ctx.role === "next-cursor"
          ? `The pagination field ${name}`
          : `The pagination parameter ${name}`;
    emit(rule, summaryOf(b), summaryOf(a), `${what} changed: ${describeChange(b, a)}.`);
    return;
  }

  // One side is a set of alternatives and the other one plain schema: compare alternatives.
  if ((b.variants === undefined) !== (a.variants === undefined)) {
    compareAgainstAlternatives(b, a, { ...ctx, component }, emit, name);
    return;
  }
  compareTypes(b, a, ctx, emit, name);
  compareEnums(b, a, ctx, emit, name);
  compareKeywords(b, a, ctx.direction, emit, name);
  compareMeanings(b, a, emit, name);
  compareConstraints(b, a, ctx, emit, name);
  compareProperties(b, a, { ...ctx, component }, ctx.pointer);

  if (b.items !== undefined || a.items !== undefined) {
    // An `items` that appeared or went is compared against the schema that accepts anything.
    compareSchema(b.items ?? anything(), a.items ?? anything(), {
      ...ctx,
      component,
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
    compareSchema(bx, ax, {
      ...ctx,
      component,
      pointer: `${ctx.pointer}/additionalProperties`,
    });
  }
  compareVariants(b, a, { ...ctx, component }, emit, name);
}

type Emit = (rule: string, before: unknown, after: unknown, message: string, sub?: string) => void;

function compareTypes(b: NSchema, a: NSchema, ctx: SchemaContext, emit: Emit, name: string): void {
  const { lost, gained } = typeDelta(b, a);
  if (lost.length === 0 && gained.length === 0) return;
  const before = typeText(b);
  const after = typeText(a);
  if (ctx.direction === "input") {
    const textual =
      ctx.parameter === true &&
      a.types?.includes("string") === true &&
      a.enum === undefined &&
      a.patterns.length === 0 &&
      a.format === undefined &&
      a.bounds.minLength === undefined &&
      a.bounds.maxLength === undefined;
    // A parameter's number or boolean arrives as text, which an unconstrained string accepts.
    const lostOther = lost.filter(
      (t) => t !== "null" && !(textual && ["number", "integer", "boolean"].includes(t)),
    );
    if (lost.includes("null"))
      emit("request-null-disallowed", before, after, `${name} no longer accepts null.`);
    if (lostOther.length > 0) {
      emit(
        "request-type-narrowed",
        before,
        after,
        `${name} no longer accepts ${lostOther.join(", ")} (was ${before}, now ${after}).`,
      );
    } else if (gained.includes("null")) {
      emit("request-validation-relaxed", before, after, `${name} now also accepts null.`, "/type");
    }
    const gainedOther = gained.filter((t) => t !== "null");
    if (gainedOther.length > 0 && lostOther.length === 0) {
      emit(
        "request-type-widened",
        before,
        after,
        `${name} now also accepts ${gainedOther.join(", ")}.`,
      );
    }
  } else {
    const gainedOther = gained.filter((t) => t !== "null");
    if (gained.includes("null"))
      emit("response-property-made-nullable", before, after, `${name} may now be null.`);
    if (gainedOther.length > 0) {
      emit(
        "response-type-changed",
        before,
        after,
        `${name} changed type from ${before} to ${after}.`,
      );
    } else if (lost.length > 0) {
      emit(
        "response-type-narrowed",
        before,
        after,
        `${name} is now always ${after} (was ${before}).`,
      );
    }
  }
}

function enumKeys(s: NSchema): Set<string> | undefined {
  if (s.enum === undefined) return undefined;
  return new Set([...s.enum.keys()].filter((k) => k !== "null"));
}

function values(keys: string[]): unknown[] {
  return keys.map((k) => JSON.parse(k) as unknown);
}

function compareEnums(b: NSchema, a: NSchema, ctx: SchemaContext, emit: Emit, name: string): void {
  if (ctx.registry.has(b.uid) || ctx.registry.has(a.uid)) return;
  const be = enumKeys(b);
  const ae = enumKeys(a);
  if (be === undefined && ae === undefined) return;
  const removed = be === undefined ? [] : [...be].filter((k) => ae !== undefined && !ae.has(k));
  const added = ae === undefined ? [] : [...ae].filter((k) => be !== undefined && !be.has(k));
  const list = (ks: string[]) => ks.join(", ");
  if (ctx.direction === "input") {
    if (be === undefined && ae !== undefined) {
      emit(
        "request-enum-added",
        null,
        values([...ae]),
        `${name} now only accepts ${list([...ae])}.`,
        "/enum",
      );
      return;
    }
    if (be !== undefined && ae === undefined) {
      emit(
        "request-validation-relaxed",
        values([...be]),
        null,
        `${name} accepts any value now (enum dropped).`,
        "/enum",
      );
      return;
    }
    if (removed.length > 0) {
      emit(
        "request-enum-value-removed",
        values(removed),
        null,
        `${name} no longer accepts ${list(removed)}.`,
        "/enum",
      );
    }
    if (added.length > 0) {
      emit(
        "request-enum-value-added",
        null,
        values(added),
        `${name} now also accepts ${list(added)}.`,
        "/enum",
      );
    }
    return;
  }
  if (be !== undefined && ae === undefined) {
    emit(
      "response-constraint-relaxed",
      values([...be]),
      null,
      `${name} is no longer limited to a fixed set of values.`,
      "/enum",
    );
    return;
  }
  if (be === undefined && ae !== undefined) {
    emit(
      "response-constraint-changed",
      null,
      values([...ae]),
      `${name} is now limited to ${list([...ae])}.`,
      "/enum",
    );
    return;
  }
  if (removed.length > 0) {
    emit(
      "response-enum-value-removed",
      values(removed),
      null,
      `${name} is no longer returned as ${list(removed)}.`,
      "/enum",
    );
  }
  if (added.length > 0) {
    emit(
      "response-enum-value-added",
      null,
      values(added),
      `${name} may now be ${list(added)}, which clients have never seen.`,
      "/enum",
    );
  }
}

function compareMeanings(b: NSchema, a: NSchema, emit: Emit, name: string): void {
  if (b.meaning !== a.meaning) {
    if (b.meaning !== undefined) {
      emit(
        "field-meaning-changed",
        b.meaning,
        a.meaning ?? null,
        `The meaning of ${name} changed from "${b.meaning}" to "${a.meaning ?? "(none)"}".`,
        "/x-meaning",
      );
    } else {
      emit(
        "documentation-changed",
        null,
        a.meaning,
        `The meaning of ${name} is now documented as "${a.meaning}".`,
        "/x-meaning",
      );
    }
  }
  const bm = b.enumMeanings ?? {};
  const am = a.enumMeanings ?? {};
  const stillAllowed = enumKeys(a);
  for (const [value, meaning] of Object.entries(bm)) {
    const now = am[value];
    const present = stillAllowed === undefined || stillAllowed.has(JSON.stringify(value));
    if (!present) continue;
    if (now !== meaning) {
      emit(
        "enum-meaning-changed",
        { [value]: meaning },
        { [value]: now ?? null },
        `${name} value "${value}" changed meaning from "${meaning}" to "${now ?? "(none)"}".`,
        `/x-enum-meanings/${escapePointer(value)}`,
      );
    }
  }
  // A value added together with its meaning is an addition, not a documentation edit.
  const existed = enumKeys(b);
  const old = (v: string) => existed === undefined || existed.has(JSON.stringify(v));
  const documented = Object.keys(am).filter(
    (v) => bm[v] === undefined && Object.keys(bm).length > 0 && old(v),
  );
  const firstTime = Object.keys(bm).length === 0 && Object.keys(am).filter(old).length > 0;
  if (documented.length > 0 || firstTime) {
    emit(
      "documentation-changed",
      null,
      firstTime ? am : Object.fromEntries(documented.map((v) => [v, am[v]])),
      `The meanings of ${name}'s values are now documented${firstTime ? "" : ` for ${documented.join(", ")}`}.`,
      "/x-enum-meanings",
    );
  }
}

/** The ranges OpenAPI's integer formats stand for. */
const INTEGER_FORMAT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
};

/**
 * True when the revision's integer format (int32/int64) refuses nothing of its own: both sides
 * are integers and either the base's bounds (or its format's range) already lie inside it, or
 * the revision's own bounds do, in which case a changed bound is what refuses values, and that
 * bound is reported by its own rule.
 */
function integerFormatAddsNothing(b: NSchema, a: NSchema): boolean {
  const integer = (s: NSchema) => s.types?.every((t) => t === "integer" || t === "null") === true;
  const range = a.format === undefined ? undefined : INTEGER_FORMAT_RANGES[a.format];
  if (range === undefined || !integer(b) || !integer(a)) return false;
  const before = b.format === undefined ? undefined : INTEGER_FORMAT_RANGES[b.format];
  if (b.format !== undefined && before === undefined) return false;
  const fits = (low: number | undefined, high: number | undefined) =>
    low !== undefined && high !== undefined && low >= range[0] && high <= range[1];
  return (
    fits(lowerBound(b)?.[0] ?? before?.[0], upperBound(b)?.[0] ?? before?.[1]) ||
    fits(lowerBound(a)?.[0], upperBound(a)?.[0])
  );
}

function compareConstraints(
  b: NSchema,
  a: NSchema,
  ctx: SchemaContext,
  emit: Emit,
  name: string,
): void {
  const input = ctx.direction === "input";
  // Numeric ranges: `maximum` and `exclusiveMaximum` (either spelling) are one upper bound.
  const range = (
    side: "upper" | "lower",
    bv: [number, boolean] | undefined,
    av: [number, boolean] | undefined,
  ) => {
    const order = side === "upper" ? compareUpper(av, bv) : compareLower(av, bv);
    if (order === 0) return;
    const show = (v: [number, boolean] | undefined) =>
      v === undefined
        ? "none"
        : `${v[1] ? (side === "upper" ? "<" : ">") : side === "upper" ? "≤" : "≥"} ${v[0]}`;
    const key =
      side === "upper"
        ? a.bounds.exclusiveMaximum !== undefined
          ? "exclusiveMaximum"
          : "maximum"
        : a.bounds.exclusiveMinimum !== undefined
          ? "exclusiveMinimum"
          : "minimum";
    const before = bv === undefined ? null : bv[0];
    const after = av === undefined ? null : av[0];
    const text = `${name} ${side === "upper" ? "upper" : "lower"} bound changed from ${show(bv)} to ${show(av)}`;
    const wider = order > 0;
    if (input)
      emit(
        wider
          ? "request-validation-relaxed"
          : side === "upper"
            ? "request-max-decreased"
            : "request-min-increased",
        before,
        after,
        `${text}.`,
        `/${key}`,
      );
    else
      emit(
        wider ? "response-constraint-relaxed" : "response-constraint-changed",
        before,
        after,
        wider ? `${text}: responses may now hold values outside the old range.` : `${text}.`,
        `/${key}`,
      );
  };
  range("upper", upperBound(b), upperBound(a));
  range("lower", lowerBound(b), lowerBound(a));
  for (const key of UPPER_BOUNDS) {
    if (key === "maximum" || key === "exclusiveMaximum") continue;
    const x = b.bounds[key];
    const y = a.bounds[key];
    if (x === y) continue;
    const lowered = y !== undefined && (x === undefined || y < x);
    if (!input)
      emit(
        lowered ? "response-constraint-changed" : "response-constraint-relaxed",
        x ?? null,
        y ?? null,
        `${name} ${key} changed from ${x ?? "none"} to ${y ?? "none"}.`,
        `/${key}`,
      );
    else if (lowered)
      emit(
        "request-max-decreased",
        x ?? null,
        y,
        `${name} ${key} lowered from ${x ?? "none"} to ${y}.`,
        `/${key}`,
      );
    else
      emit(
        "request-validation-relaxed",
        x ?? null,
        y ?? null,
        `${name} ${key} raised from ${x} to ${y ?? "none"}.`,
        `/${key}`,
      );
  }
  for (const key of LOWER_BOUNDS) {
    if (key === "minimum" || key === "exclusiveMinimum") continue;
    const x = b.bounds[key];
    const y = a.bounds[key];
    if (x === y) continue;
    const raised = y !== undefined && (x === undefined || y > x);
    if (!input)
      emit(
        raised ? "response-constraint-changed" : "response-constraint-relaxed",
        x ?? null,
        y ?? null,
        `${name} ${key} changed from ${x ?? "none"} to ${y ?? "none"}.`,
        `/${key}`,
      );
    else if (raised)
      emit(
        "request-min-increased",
        x ?? null,
        y,
        `${name} ${key} raised from ${x ?? "none"} to ${y}.`,
        `/${key}`,
      );
    else
      emit(
        "request-validation-relaxed",
        x ?? null,
        y ?? null,
        `${name} ${key} lowered from ${x} to ${y ?? "none"}.`,
        `/${key}`,
      );
  }
  const bp = b.patterns.join(" & ");
  const ap = a.patterns.join(" & ");
  if (bp !== ap) {
    const newOnes = a.patterns.filter((p) => !b.patterns.includes(p));
    const dropped = b.patterns.filter((p) => !a.patterns.includes(p));
    if (!input)
      emit(
        dropped.length > 0 ? "response-constraint-relaxed" : "response-constraint-changed",
        bp || null,
        ap || null,
        dropped.length > 0
          ? `${name} no longer promises to match ${dropped.join(" and ")}.`
          : `${name} pattern changed.`,
        "/pattern",
      );
    else if (newOnes.length > 0)
      emit(
        "request-pattern-changed",
        bp || null,
        ap,
        `${name} must now match ${newOnes.join(" and ")}.`,
        "/pattern",
      );
    else emit("request-validation-relaxed", bp, ap || null, `${name} pattern dropped.`, "/pattern");
  }
  if (b.format !== a.format) {
    if (input && integerFormatAddsNothing(b, a)) {
      // int32/int64 only name a range; when the old bounds already lie inside it, no request
      // the old schema accepted is refused, so this documents the storage type and breaks nobody.
      emit(
        "documentation-changed",
        b.format ?? null,
        a.format ?? null,
        `${name} is now documented as ${a.format} (its bounds fit).`,
        "/format",
      );
    } else if (input) {
      if (a.format !== undefined)
        emit(
          "request-format-changed",
          b.format ?? null,
          a.format,
          `${name} must now be a ${a.format} (was ${b.format ?? `any ${a.types?.find((t) => t !== "null") ?? "value"}`}).`,
          "/format",
        );
      else
        emit(
          "request-validation-relaxed",
          b.format,
          null,
          `${name} no longer has to be a ${b.format}.`,
          "/format",
        );
    } else if (b.format !== undefined) {
      emit(
        "response-format-changed",
        b.format,
        a.format ?? null,
        `${name} is no longer guaranteed to be a ${b.format} (now ${a.format ?? "any string"}).`,
        "/format",
      );
    } else {
      emit(
        "response-constraint-changed",
        null,
        a.format,
        `${name} is now documented as a ${a.format}.`,
        "/format",
      );
    }
  }
  const bd = b.hasDefault ? JSON.stringify(b.default) : undefined;
  const ad = a.hasDefault ? JSON.stringify(a.default) : undefined;
  if (bd !== ad) {
    if (input)
      emit(
        "request-default-changed",
        b.hasDefault ? b.default : null,
        a.hasDefault ? a.default : null,
        `${name} default changed from ${bd ?? "none"} to ${ad ?? "none"}: a request that omits it now means something else.`,
        "/default",
      );
    else
      emit(
        "documentation-changed",
        b.default ?? null,
        a.default ?? null,
        `${name} documented default changed.`,
        "/default",
      );
  }
  const tighter: string[] = [];
  const looser: string[] = [];
  if (b.uniqueItems !== a.uniqueItems) (a.uniqueItems ? tighter : looser).push("uniqueItems");
  if (b.multipleOf !== a.multipleOf)
    (a.multipleOf !== undefined ? tighter : looser).push("multipleOf");
  if (b.additional !== false && a.additional === false) {
    if (input)
      emit(
        "request-additional-properties-disallowed",
        true,
        false,
        `${name} no longer accepts properties it does not list.`,
        "/additionalProperties",
      );
    else
      emit(
        "response-constraint-changed",
        true,
        false,
        `${name} now lists every property it may have.`,
        "/additionalProperties",
      );
  } else if (b.additional === false && a.additional !== false) {
    if (input)
      emit(
        "request-validation-relaxed",
        false,
        true,
        `${name} now accepts unlisted properties.`,
        "/additionalProperties",
      );
    else
      emit(
        "response-constraint-relaxed",
        false,
        true,
        `${name} may now have unlisted properties.`,
        "/additionalProperties",
      );
  }
  if (tighter.length > 0 || looser.length > 0) {
    const before = { uniqueItems: b.uniqueItems, multipleOf: b.multipleOf ?? null };
    const after = { uniqueItems: a.uniqueItems, multipleOf: a.multipleOf ?? null };
    if (!input)
      emit(
        looser.length > 0 ? "response-constraint-relaxed" : "response-constraint-changed",
        before,
        after,
        `${name} ${[...tighter, ...looser].join(", ")} changed.`,
      );
    else if (tighter.length > 0)
      emit(
        "request-constraint-added",
        before,
        after,
        `${name} now requires ${tighter.join(", ")}.`,
      );
    else emit("request-validation-relaxed", before, after, `${name} dropped ${looser.join(", ")}.`);
  }
}

function visible(s: NSchema, key: string, direction: Direction): boolean {
  const p = s.properties.get(key);
  if (p === undefined) return s.required.has(key);
  return direction === "input" ? !p.readOnly : !p.writeOnly;
}

function compareProperties(b: NSchema, a: NSchema, ctx: SchemaContext, pointer: string): void {
  const dir = ctx.direction;
  const bKeys = [...new Set([...b.properties.keys(), ...b.required])].filter((k) =>
    visible(b, k, dir),
  );
  const aKeys = [...new Set([...a.properties.keys(), ...a.required])].filter((k) =>
    visible(a, k, dir),
  );
  if (bKeys.length === 0 && aKeys.length === 0) return;
  const aSet = new Set(aKeys);
  const bSet = new Set(bKeys);
  const removed = bKeys.filter((k) => !aSet.has(k));
  const added = aKeys.filter((k) => !bSet.has(k));
  const at = (k: string) => `${pointer}/properties/${escapePointer(k)}`;
  const emit = (rule: string, key: string, before: unknown, after: unknown, message: string) =>
    ctx.findings.add({
      rule,
      ...ctx.scope,
      pointer: at(key),
      component: ctx.component,
      direction: dir,
      before,
      after,
      message,
    });
  const pagination = (k: string) => dir === "output" && NEXT_CURSOR_FIELDS.has(k);

  // A rename needs evidence: `x-renamed-from` on the new field, or (between declared dated
  // versions only) a removed and an added field of the same shape.
  const renames = new Map<string, string>();
  const taken = new Set<string>();
  for (const x of added) {
    const from = a.properties.get(x)?.renamedFrom;
    if (from !== undefined && removed.includes(from) && !renames.has(from)) {
      renames.set(from, x);
      taken.add(x);
    }
  }
  for (const r of ctx.inferRenames ? removed : []) {
    if (renames.has(r)) continue;
    const rs = b.properties.get(r);
    if (rs === undefined) continue;
    const shape = shapeOf(rs, 3);
    const match = added.find(
      (x) =>
        !taken.has(x) &&
        a.properties.get(x) !== undefined &&
        shapeOf(a.properties.get(x) as NSchema, 3) === shape,
    );
    if (match !== undefined) {
      renames.set(r, match);
      taken.add(match);
    }
  }

  for (const k of removed) {
    const to = renames.get(k);
    if (pagination(k)) {
      emit(
        "pagination-next-cursor-changed",
        k,
        k,
        to ?? null,
        `The pagination field ${k} was ${to === undefined ? "removed" : `renamed to ${to}`}.`,
      );
    } else if (to !== undefined) {
      emit(
        dir === "input" ? "request-property-renamed" : "response-property-renamed",
        k,
        k,
        to,
        `Field ${k} was renamed to ${to}${a.properties.get(to)?.renamedFrom === k ? " (x-renamed-from)" : " (same schema)"}.`,
      );
    } else {
      emit(
        dir === "input" ? "request-property-removed" : "response-property-removed",
        k,
        k,
        null,
        `Field ${k} was removed.`,
      );
    }
  }
  for (const k of added) {
    if (taken.has(k)) continue;
    if (dir === "input") {
      if (a.required.has(k))
        emit(
          "required-request-property-added",
          k,
          null,
          k,
          `New required field ${k}: requests without it are now rejected.`,
        );
      else emit("optional-request-property-added", k, null, k, `New optional field ${k}.`);
    } else {
      emit("response-property-added", k, null, k, `New field ${k}.`);
    }
  }
  for (const k of bKeys) {
    if (!aSet.has(k)) continue;
    const wasRequired = b.required.has(k);
    const isRequired = a.required.has(k);
    if (pagination(k) && wasRequired !== isRequired) {
      emit(
        "pagination-next-cursor-changed",
        k,
        wasRequired,
        isRequired,
        `The pagination field ${k} is now ${isRequired ? "always present" : "optional"}.`,
      );
    } else if (wasRequired !== isRequired) {
      if (dir === "input") {
        if (isRequired)
          emit("request-property-made-required", k, false, true, `Field ${k} is now required.`);
        else emit("request-property-made-optional", k, true, false, `Field ${k} is now optional.`);
      } else if (isRequired)
        emit(
          "response-property-made-required",
          k,
          false,
          true,
          `Field ${k} is now always present.`,
        );
      else emit("response-property-made-optional", k, true, false, `Field ${k} may now be absent.`);
    }
    const bs = b.properties.get(k);
    const as = a.properties.get(k);
    if (bs !== undefined && as !== undefined) {
      compareSchema(bs, as, {
        ...ctx,
        pointer: at(k),
        role: pagination(k) ? "next-cursor" : "body",
      });
    }
  }
}

function variantKey(s: NSchema): string | undefined {
  for (const field of ["object", "type", "kind"]) {
    const p = s.properties.get(field);
    if (p?.enum !== undefined && p.enum.size === 1) return `${field}=${[...p.enum.keys()][0]}`;
  }
  return undefined;
}

function compareVariants(
  b: NSchema,
  a: NSchema,
  ctx: SchemaContext,
  emit: Emit,
  name: string,
): void {
  const bv = b.variants ?? [];
  const av = a.variants ?? [];
  if (bv.length === 0 && av.length === 0) return;
  const input = ctx.direction === "input";
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
    compareSchema(bv[i] as NSchema, av[j] as NSchema, {
      ...ctx,
      pointer: `${ctx.pointer}/oneOf/${j}`,
    });
  }
  bv.forEach((x, i) => {
    if (usedB.has(i)) return;
    const label = variantKey(x) ?? `#${i}`;
    if (input)
      emit(
        "request-type-narrowed",
        label,
        null,
        `${name} no longer accepts the alternative ${label}.`,
        `/oneOf/${i}`,
      );
    else
      emit(
        "response-variant-removed",
        label,
        null,
        `${name} is no longer returned as the alternative ${label}.`,
        `/oneOf/${i}`,
      );
  });
  av.forEach((y, j) => {
    if (usedA.has(j)) return;
    const label = variantKey(y) ?? `#${j}`;
    if (input)
      emit(
        "request-type-widened",
        null,
        label,
        `${name} now also accepts the alternative ${label}.`,
        `/oneOf/${j}`,
      );
    else
      emit(
        "response-variant-added",
        null,
        label,
        `${name} may now be the alternative ${label}; clients must tolerate it.`,
        `/oneOf/${j}`,
      );
  });
}

function describeChange(b: NSchema, a: NSchema): string {
  const parts: string[] = [];
  if (typeText(b) !== typeText(a)) parts.push(`type ${typeText(b)} → ${typeText(a)}`);
  if (b.patterns.join() !== a.patterns.join())
    parts.push(`pattern ${b.patterns.join() || "none"} → ${a.patterns.join() || "none"}`);
  if (b.format !== a.format) parts.push(`format ${b.format ?? "none"} → ${a.format ?? "none"}`);
  for (const key of [...UPPER_BOUNDS, ...LOWER_BOUNDS]) {
    if (b.bounds[key] !== a.bounds[key])
      parts.push(`${key} ${b.bounds[key] ?? "none"} → ${a.bounds[key] ?? "none"}`);
  }
  const be = b.enum === undefined ? "none" : [...b.enum.keys()].join(",");
  const ae = a.enum === undefined ? "none" : [...a.enum.keys()].join(",");
  if (be !== ae) parts.push(`enum ${be} → ${ae}`);
  if (JSON.stringify(b.default) !== JSON.stringify(a.default)) {
    parts.push(
      `default ${JSON.stringify(b.default) ?? "none"} → ${JSON.stringify(a.default) ?? "none"}`,
    );
  }
  return parts.length === 0 ? "its schema differs" : parts.join("; ");
}

/** The constraints of a schema as plain data, for a finding's before/after. */
function summaryOf(s: NSchema): Record<string, unknown> {
  const out: Record<string, unknown> = { type: s.types ?? "any" };
  if (s.enum !== undefined) out.enum = [...s.enum.values()];
  if (s.patterns.length > 0) out.pattern = s.patterns.join(" & ");
  if (s.format !== undefined) out.format = s.format;
  Object.assign(out, s.bounds);
  if (s.hasDefault) out.default = s.default;
  if (s.properties.size > 0) out.properties = [...s.properties.keys()];
  return out;
}

/**
 * One side offers alternatives (`anyOf`/`oneOf`) and the other is one plain schema. Each
 * alternative carries the outer keywords with it. For a request, every way the base accepted a
 * value must still be accepted by some alternative of the revision; for a response, every
 * alternative the revision may produce must be one the base could produce.
 */
function compareAgainstAlternatives(
  b: NSchema,
  a: NSchema,
  ctx: SchemaContext,
  emit: Emit,
  name: string,
): void {
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
    compareSchema(x, y, { ...ctx, pointer: `${ctx.pointer}${at(y, av)}` });
  });
  may.forEach((m, j) => {
    if (used.has(j) || may.length === 1) return;
    const label = variantKey(m) ?? `#${j}`;
    if (input)
      emit(
        "request-type-widened",
        null,
        label,
        `${name} now also accepts the alternative ${label}.`,
        `/anyOf/${j}`,
      );
    else
      emit(
        "response-variant-removed",
        label,
        null,
        `${name} is no longer returned as the alternative ${label}.`,
        `/anyOf/${j}`,
      );
  });
}
