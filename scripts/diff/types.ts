import type { Visitors } from "./visitor.ts";

/**
 * The data shapes of the breaking-change diff. A finding is a plain object (like a Redocly lint
 * problem) so that renderers, CI and tests can all consume it without knowing the engine.
 */

/** How a schema is judged: what a client sends (input) or what a client receives (output). */
export type Direction = "input" | "output";

export type Category =
  | "removal"
  | "rename"
  | "tightening"
  | "guarantee"
  | "meaning"
  | "signing"
  | "header-format"
  | "pagination"
  | "security"
  | "default"
  | "addition"
  | "relaxation"
  | "deprecation"
  | "documentation";

/**
 * How loudly a finding speaks: `error` breaks clients, `warning` does not break them yet but an
 * integrator must act (a deprecation, a sunset, a meaning change), `info` needs nothing.
 */
export type Level = "error" | "warning" | "info";

/**
 * Where a finding is in each document: `null` on the side where the thing does not exist; for a
 * rename, the base names the old thing and the revision the new one.
 */
export interface PointerPair {
  base: string | null;
  revision: string | null;
}

export interface FindingLocation {
  /** `METHOD /path` as written in the revision (or the base, for removals). */
  operation?: string;
  /** The webhook (event type) name. */
  webhook?: string;
  /** JSON pointer into the document, following the operation rather than `$ref`s. */
  pointer: string;
  /** The named component (`components/schemas/<name>` or the split file's name) that holds it. */
  component?: string;
}

export interface Finding {
  /** Stable id of this finding: the rule plus a hash of where it is. */
  id: string;
  rule: string;
  level: Level;
  breaking: boolean;
  category: Category;
  direction: Direction | "none";
  location: FindingLocation;
  pointer: PointerPair;
  before: unknown;
  after: unknown;
  message: string;
}

/** One case of a rule's table: the smallest before/after pair that shows the rule. */
export interface RuleCase {
  when: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** Rule ids of every finding the pair must produce (order-free, duplicates count). */
  expect: string[];
}

export interface Rule {
  id: string;
  breaking: boolean;
  category: Category;
  /** Overrides the level `levelOf` derives from `breaking` and `category`. */
  level?: Level;
  /** One line for the docs and `wth diff --rules`. */
  summary: string;
  cases: RuleCase[];
  /** The rule's detection: one visitor per kind of node pair it judges (see visitor.ts). */
  visit: Visitors;
}

/** Categories of non-breaking changes an integrator must still act on. */
const WARNING_CATEGORIES: ReadonlySet<Category> = new Set(["deprecation", "meaning"]);

/** A rule's level: its own, or error when breaking, warning when it asks for action, else info. */
export function levelOf(rule: Pick<Rule, "breaking" | "category" | "level">): Level {
  if (rule.level !== undefined) return rule.level;
  if (rule.breaking) return "error";
  return WARNING_CATEGORIES.has(rule.category) ? "warning" : "info";
}
