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
  breaking: boolean;
  category: Category;
  direction: Direction | "none";
  location: FindingLocation;
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
  /** One line for the docs and `wth diff --rules`. */
  summary: string;
  cases: RuleCase[];
  /** The rule's detection: one visitor per kind of node pair it judges (see visitor.ts). */
  visit: Visitors;
}
