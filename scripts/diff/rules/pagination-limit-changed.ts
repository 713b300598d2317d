import { paginationParameterVisitors } from "../pagination-visitors.ts";
import type { Rule } from "../types.ts";
import { list } from "./fixtures.ts";

export const rule: Rule = {
  id: "pagination-limit-changed",
  breaking: true,
  category: "pagination",
  summary:
    "The limit parameter now rejects values it accepted, its default changed, or it was removed (raising its maximum is not breaking).",
  visit: paginationParameterVisitors("limit"),
  cases: [
    {
      when: "when limit's maximum is lowered, then it is breaking",
      before: list(),
      after: list({ limit: { type: "integer", minimum: 1, maximum: 50, default: 20 } }),
      expect: ["pagination-limit-changed"],
    },
    {
      when: "when limit's default changes, then it is breaking",
      before: list(),
      after: list({ limit: { type: "integer", minimum: 1, maximum: 100, default: 10 } }),
      expect: ["pagination-limit-changed"],
    },
  ],
};
