import { NEXT_CURSOR_FIELDS } from "../pagination.ts";
import { formatChange } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { list } from "./fixtures.ts";

export const rule: Rule = {
  id: "pagination-next-cursor-changed",
  breaking: true,
  category: "pagination",
  summary:
    "The next-cursor (or has_more) field of a list was removed, renamed, made optional or changed.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "output") return;
      for (const k of node.removed) {
        if (!NEXT_CURSOR_FIELDS.has(k)) continue;
        const to = node.renames.get(k);
        ctx.report({
          pointer: node.at(k),
          before: k,
          after: to ?? null,
          message: `The pagination field ${k} was ${to === undefined ? "removed" : `renamed to ${to}`}.`,
        });
      }
      for (const k of node.common) {
        const was = node.base.required.has(k);
        const is = node.revision.required.has(k);
        if (NEXT_CURSOR_FIELDS.has(k) && was !== is)
          ctx.report({
            pointer: node.at(k),
            before: was,
            after: is,
            message: `The pagination field ${k} is now ${is ? "always present" : "optional"}.`,
          });
      }
    },
    formatted(node, ctx) {
      if (node.role !== "next-cursor") return;
      const { before, after, how } = formatChange(node);
      ctx.report({ before, after, message: `The pagination field ${node.name} changed: ${how}.` });
    },
  },
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
