import { paginationParameterVisitors } from "../pagination-visitors.ts";
import type { Rule } from "../types.ts";
import { list } from "./fixtures.ts";

export const rule: Rule = {
  id: "pagination-cursor-changed",
  breaking: true,
  category: "pagination",
  summary: "The cursor parameter was removed, renamed or its format changed.",
  visit: paginationParameterVisitors("cursor"),
  cases: [
    {
      when: "when the cursor parameter is removed, then it is breaking",
      before: list(),
      after: list({ cursor: null }),
      expect: ["pagination-cursor-changed"],
    },
    {
      when: "when the cursor's maximum length changes, then it is breaking",
      before: list(),
      after: list({ cursor: { type: "string", maxLength: 1024 } }),
      expect: ["pagination-cursor-changed"],
    },
  ],
};
