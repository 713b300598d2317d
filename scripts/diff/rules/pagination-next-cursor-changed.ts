import type { Rule } from "../types.ts";
import { list } from "./fixtures.ts";

export const rule: Rule = {
  id: "pagination-next-cursor-changed",
  breaking: true,
  category: "pagination",
  summary:
    "The next-cursor (or has_more) field of a list was removed, renamed, made optional or changed.",
  cases: [
    {
      when: "when next_cursor is removed, then it is breaking",
      before: list(),
      after: list({ nextCursor: null }),
      expect: ["pagination-next-cursor-changed"],
    },
    {
      when: "when next_cursor changes type, then it is breaking",
      before: list(),
      after: list({ nextCursor: { type: ["integer", "null"] } }),
      expect: ["pagination-next-cursor-changed"],
    },
  ],
};
