import type { Rule } from "../types.ts";
import { list } from "./fixtures.ts";

export const rule: Rule = {
  id: "pagination-limit-changed",
  breaking: true,
  category: "pagination",
  summary: "The limit parameter's bounds or default changed, or it was removed.",
  cases: [
    {
      when: "when limit's maximum is raised, then it is still breaking",
      before: list(),
      after: list({ limit: { type: "integer", minimum: 1, maximum: 200, default: 20 } }),
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
