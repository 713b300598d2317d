import { pairParameters } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "required-parameter-added",
  breaking: true,
  category: "tightening",
  summary: "A new parameter must be sent; existing requests lack it.",
  visit: {
    parameters(node, ctx) {
      for (const p of pairParameters(node).added)
        if (p.required && !(node.webhook && p.where === "header"))
          ctx.report({
            pointers: { base: null },
            pointer: node.at(p),
            before: null,
            after: p.name,
            message: `New required ${p.where} parameter ${p.name}.`,
          });
    },
  },
  cases: [
    {
      when: "when a required query parameter is added, then it is breaking",
      before: withParameters([]),
      after: withParameters([parameter("brand", "query", { type: "string" }, true)]),
      expect: ["required-parameter-added"],
    },
    {
      when: "when a required header is added, then it is breaking",
      before: withParameters([]),
      after: withParameters([parameter("X-Tenant", "header", { type: "string" }, true)]),
      expect: ["required-parameter-added"],
    },
  ],
};
