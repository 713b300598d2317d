import { paginationOf } from "../pagination.ts";
import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "parameter-made-required",
  breaking: true,
  category: "tightening",
  summary: "A parameter that could be omitted must now be sent.",
  visit: {
    parameter(node, ctx) {
      const { base: b, revision: a } = node;
      if (b.required === a.required || (node.webhook && b.where === "header")) return;
      if (paginationOf(b) !== undefined || a.required !== true) return;
      ctx.report({
        before: false,
        after: true,
        message: `${a.where} parameter ${a.name} is now required.`,
      });
    },
  },
  cases: [
    {
      when: "when an optional parameter becomes required, then it is breaking",
      before: withParameters([parameter("brand", "query", { type: "string" })]),
      after: withParameters([parameter("brand", "query", { type: "string" }, true)]),
      expect: ["parameter-made-required"],
    },
  ],
};
