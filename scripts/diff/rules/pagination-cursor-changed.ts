import { paginationOf } from "../pagination.ts";
import { pairParameters } from "../rename-evidence.ts";
import { formatChange } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { list } from "./fixtures.ts";

export const rule: Rule = {
  id: "pagination-cursor-changed",
  breaking: true,
  category: "pagination",
  summary: "The cursor parameter was removed, renamed or its format changed.",
  visit: {
    parameters(node, ctx) {
      for (const p of pairParameters(node).pagination)
        if (paginationOf(p) === "cursor")
          ctx.report({
            pointer: node.at(p),
            before: p.name,
            after: null,
            message: `The pagination parameter ${p.name} was removed.`,
          });
    },
    parameter(node, ctx) {
      const { base: b, revision: a } = node;
      if (b.required === a.required || (node.webhook && b.where === "header")) return;
      if (paginationOf(b) === "cursor")
        ctx.report({
          before: b.required,
          after: a.required,
          message: `The pagination parameter ${a.name} is now ${a.required ? "required" : "optional"}.`,
        });
    },
    formatted(node, ctx) {
      if (node.role !== "cursor") return;
      const { before, after, how } = formatChange(node);
      ctx.report({
        before,
        after,
        message: `The pagination parameter ${node.name} changed: ${how}.`,
      });
    },
  },
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
