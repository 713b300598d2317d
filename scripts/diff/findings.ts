/**
 * Collects findings while the comparison walks the two documents. Every finding names a rule
 * from `rules/`; the rule decides whether it is breaking and its category, never the walker.
 */
import { createHash } from "node:crypto";
import { ruleById } from "./rules/index.ts";
import type { Direction, Finding } from "./types.ts";

export interface Scope {
  operation?: string;
  webhook?: string;
}

export interface Place {
  pointer: string;
  component?: string | undefined;
}

/** What a walker knows about a finding: the rule, where it is, both sides and the message. */
export interface FindingInput extends Scope, Place {
  rule: string;
  direction: Direction | "none";
  before: unknown;
  after: unknown;
  message: string;
}

export class Findings {
  readonly list: Finding[] = [];
  private readonly ids = new Set<string>();

  /** Records one finding, described by name; the rule supplies its verdict and category. */
  add(input: FindingInput): void {
    const { rule: ruleId, direction, before, after, message } = input;
    const scope: Scope = input;
    const place: Place = input;
    const rule = ruleById(ruleId);
    const where = `${scope.operation ?? ""}|${scope.webhook ?? ""}|${place.pointer}`;
    let id = `${rule.id}:${createHash("sha1").update(where).digest("hex").slice(0, 10)}`;
    for (let n = 2; this.ids.has(id); n++) id = `${id.split("#")[0]}#${n}`;
    this.ids.add(id);
    const location: Finding["location"] = { pointer: place.pointer };
    if (scope.operation !== undefined) location.operation = scope.operation;
    if (scope.webhook !== undefined) location.webhook = scope.webhook;
    if (place.component !== undefined) location.component = place.component;
    this.list.push({
      id,
      rule: rule.id,
      breaking: rule.breaking,
      category: rule.category,
      direction,
      location,
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

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
