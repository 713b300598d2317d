/**
 * Collects findings while the comparison walks the two documents. Every finding names the rule
 * that reported it; the rule decides whether it is breaking and its category, never the walker.
 */
import { createHash } from "node:crypto";
import { type Direction, type Finding, levelOf, type PointerPair, type Rule } from "./types.ts";

export { escapePointer } from "./pointer.ts";

export interface Scope {
  operation?: string;
  webhook?: string;
}

export interface Place {
  pointer: string;
  component?: string | undefined;
}

/** What is known about a finding: the rule, where it is, both sides and the message. */
export interface FindingInput extends Scope, Place {
  rule: Rule;
  direction: Direction | "none";
  /** Where it is on each side; each side missing here is the logical `pointer`. */
  pointers?: Partial<PointerPair> | undefined;
  before: unknown;
  after: unknown;
  message: string;
}

export class Findings {
  readonly list: Finding[] = [];
  private readonly ids = new Set<string>();

  /** Records one finding, described by name; the rule supplies its verdict and category. */
  add(input: FindingInput): void {
    const { rule, direction, before, after, message } = input;
    const scope: Scope = input;
    const place: Place = input;
    const where = `${scope.operation ?? ""}|${scope.webhook ?? ""}|${place.pointer}`;
    let id = `${rule.id}:${createHash("sha1").update(where).digest("hex").slice(0, 10)}`;
    for (let n = 2; this.ids.has(id); n++) id = `${id.split("#")[0]}#${n}`;
    this.ids.add(id);
    const location: Finding["location"] = { pointer: place.pointer };
    if (scope.operation !== undefined) location.operation = scope.operation;
    if (scope.webhook !== undefined) location.webhook = scope.webhook;
    if (place.component !== undefined) location.component = place.component;
    const pointers = input.pointers ?? {};
    this.list.push({
      id,
      rule: rule.id,
      level: levelOf(rule),
      breaking: rule.breaking,
      category: rule.category,
      direction,
      location,
      pointer: {
        base: pointers.base === undefined ? place.pointer : pointers.base,
        revision: pointers.revision === undefined ? place.pointer : pointers.revision,
      },
      before: plain(before),
      after: plain(after),
      message,
    });
  }
}

/** Findings are plain JSON data: sets and maps from the normalised form become arrays. */
function plain(value: unknown): unknown {
  if (value instanceof Set) return [...value];
  if (value instanceof Map) return [...value.values()];
  return value === undefined ? null : value;
}
