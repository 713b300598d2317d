import { paginationOf } from "../pagination.ts";
import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "parameter-made-optional",
  breaking: false,
  category: "relaxation",
  summary: "A required parameter may now be omitted.",
  visit: {
    parameter(node, ctx) {
      const { base: b, revision: a } = node;
      if (b.required === a.required || (node.webhook && b.where === "header")) return;
      if (paginationOf(b) !== undefined || a.required !== false) return;
      ctx.report({
        before: true,
        after: false,
        message: `${a.where} parameter ${a.name} is now optional.`,
      });
    },
  },
  cases: [
    {
      when: "when a required parameter becomes optional, then it is not breaking",
      before: withParameters([parameter("brand", "query", { type: "string" }, true)]),
      after: withParameters([parameter("brand", "query", { type: "string" })]),
      expect: ["parameter-made-optional"],
    },
  ],
};
