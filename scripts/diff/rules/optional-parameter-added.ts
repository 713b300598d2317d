import { pairParameters } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "optional-parameter-added",
  breaking: false,
  category: "addition",
  summary: "A new optional parameter.",
  visit: {
    parameters(node, ctx) {
      for (const p of pairParameters(node).added)
        if (!p.required && !(node.webhook && p.where === "header"))
          ctx.report({
            pointers: { base: null },
            pointer: node.at(p),
            before: null,
            after: p.name,
            message: `New optional ${p.where} parameter ${p.name}.`,
          });
    },
  },
  cases: [
    {
      when: "when an optional query parameter is added, then it is not breaking",
      before: withParameters([]),
      after: withParameters([parameter("brand", "query", { type: "string" })]),
      expect: ["optional-parameter-added"],
    },
  ],
};
