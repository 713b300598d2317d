import { paginationOf } from "../pagination.ts";
import { pairParameters } from "../rename-evidence.ts";
import { formatChange } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { list } from "./fixtures.ts";

export const rule: Rule = {
  id: "pagination-limit-changed",
  breaking: true,
  category: "pagination",
  summary:
    "The limit parameter now rejects values it accepted, its default changed, or it was removed (raising its maximum is not breaking).",
  visit: {
    parameters(node, ctx) {
      for (const p of pairParameters(node).pagination)
        if (paginationOf(p) === "limit")
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
      if (paginationOf(b) === "limit")
        ctx.report({
          before: b.required,
          after: a.required,
          message: `The pagination parameter ${a.name} is now ${a.required ? "required" : "optional"}.`,
        });
    },
    formatted(node, ctx) {
      if (node.role !== "limit") return;
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
