/**
 * How a schema pair's bounds moved: the numeric range (`maximum` and `exclusiveMaximum`, either
 * spelling, are one upper bound) and the counts (lengths, items, properties). The request and
 * response bound rules each pick the moves that are theirs.
 */
import { perNode } from "./memo.ts";
import { LOWER_BOUNDS, UPPER_BOUNDS } from "./normalize.ts";
import { compareLower, compareUpper, lowerBound, upperBound } from "./subschema.ts";
import type { SchemaNode } from "./visitor.ts";

export interface RangeMove {
  side: "upper" | "lower";
  /** The keyword the revision spells it with (`maximum`, `exclusiveMaximum`...). */
  key: string;
  before: number | null;
  after: number | null;
  /** The range now admits more values. */
  wider: boolean;
  /** `<name> upper bound changed from ≤ 100 to < 50`, to be completed by the rule. */
  text: string;
}

export interface CountMove {
  side: "upper" | "lower";
  key: string;
  before: number | undefined;
  after: number | undefined;
  /** Fewer values allowed: an upper count lowered (or new), a lower count raised (or new). */
  tighter: boolean;
}

export interface BoundMoves {
  ranges: RangeMove[];
  counts: CountMove[];
}

export const boundMoves = perNode((node: SchemaNode): BoundMoves => {
  const { base: b, revision: a } = node;
  const ranges: RangeMove[] = [];
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
    ranges.push({
      side,
      key,
      before: bv === undefined ? null : bv[0],
      after: av === undefined ? null : av[0],
      wider: order > 0,
      text: `${node.name} ${side === "upper" ? "upper" : "lower"} bound changed from ${show(bv)} to ${show(av)}`,
    });
  };
  range("upper", upperBound(b), upperBound(a));
  range("lower", lowerBound(b), lowerBound(a));
  const counts: CountMove[] = [];
  for (const key of UPPER_BOUNDS) {
    if (key === "maximum" || key === "exclusiveMaximum") continue;
    const x = b.bounds[key];
    const y = a.bounds[key];
    if (x === y) continue;
    counts.push({
      side: "upper",
      key,
      before: x,
      after: y,
      tighter: y !== undefined && (x === undefined || y < x),
    });
  }
  for (const key of LOWER_BOUNDS) {
    if (key === "minimum" || key === "exclusiveMinimum") continue;
    const x = b.bounds[key];
    const y = a.bounds[key];
    if (x === y) continue;
    counts.push({
      side: "lower",
      key,
      before: x,
      after: y,
      tighter: y !== undefined && (x === undefined || y > x),
    });
  }
  return { ranges, counts };
});

/** `uniqueItems` and `multipleOf`: which were added (tighter) and which dropped (looser). */
export const flagMoves = perNode(
  (node: SchemaNode): { tighter: string[]; looser: string[]; before: unknown; after: unknown } => {
    const { base: b, revision: a } = node;
    const tighter: string[] = [];
    const looser: string[] = [];
    if (b.uniqueItems !== a.uniqueItems) (a.uniqueItems ? tighter : looser).push("uniqueItems");
    if (b.multipleOf !== a.multipleOf)
      (a.multipleOf !== undefined ? tighter : looser).push("multipleOf");
    return {
      tighter,
      looser,
      before: { uniqueItems: b.uniqueItems, multipleOf: b.multipleOf ?? null },
      after: { uniqueItems: a.uniqueItems, multipleOf: a.multipleOf ?? null },
    };
  },
);

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
export function integerFormatAddsNothing(node: SchemaNode): boolean {
  const { base: b, revision: a } = node;
  const integer = (s: typeof b) => s.types?.every((t) => t === "integer" || t === "null") === true;
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

/** How the patterns moved: the ones the revision adds and the ones it dropped. */
export function patternMove(node: SchemaNode): {
  before: string;
  after: string;
  newOnes: string[];
  dropped: string[];
} | null {
  const { base: b, revision: a } = node;
  const before = b.patterns.join(" & ");
  const after = a.patterns.join(" & ");
  if (before === after) return null;
  return {
    before,
    after,
    newOnes: a.patterns.filter((p) => !b.patterns.includes(p)),
    dropped: b.patterns.filter((p) => !a.patterns.includes(p)),
  };
}
