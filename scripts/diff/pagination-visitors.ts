import { paginationOf } from "./pagination.ts";
import { pairParameters } from "./rename-evidence.ts";
import { formatChange } from "./schema-text.ts";
import type { Visitors } from "./visitor.ts";

/**
 * The detection both pagination-parameter rules share (cursor and limit): the parameter removed,
 * made required or optional, or its format changed. Each rule passes the role it owns.
 */
export function paginationParameterVisitors(role: "cursor" | "limit"): Visitors {
  return {
    parameters(node, ctx) {
      for (const p of pairParameters(node).pagination)
        if (paginationOf(p) === role)
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
      if (paginationOf(b) === role)
        ctx.report({
          before: b.required,
          after: a.required,
          message: `The pagination parameter ${a.name} is now ${a.required ? "required" : "optional"}.`,
        });
    },
    formatted(node, ctx) {
      if (node.role !== role) return;
      const { before, after, how } = formatChange(node);
      ctx.report({
        before,
        after,
        message: `The pagination parameter ${node.name} changed: ${how}.`,
      });
    },
  };
}
