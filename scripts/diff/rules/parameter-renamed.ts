import { pairParameters } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "parameter-renamed",
  breaking: true,
  category: "rename",
  summary: "A parameter was removed and another with the same schema added: most likely a rename.",
  visit: {
    parameters(node, ctx) {
      for (const [p, to] of pairParameters(node).renamed)
        if (!(node.webhook && p.where === "header"))
          ctx.report({
            pointer: node.at(to),
            pointers: { base: node.at(p) },
            before: p.name,
            after: to.name,
            message: `${p.where} parameter ${p.name} was renamed to ${to.name}.`,
          });
    },
  },
  cases: [
    {
      when: "when a query parameter is renamed with x-renamed-from, then one rename is reported",
      before: withParameters([parameter("brand", "query", { type: "string", maxLength: 100 })]),
      after: withParameters([
        {
          ...parameter("brand_name", "query", { type: "string", maxLength: 100 }),
          "x-renamed-from": "brand",
        },
      ]),
      expect: ["parameter-renamed"],
    },
    {
      when: "when a query parameter is replaced by a look-alike without evidence, then it is a removal and an addition",
      before: withParameters([parameter("brand", "query", { type: "string", maxLength: 100 })]),
      after: withParameters([parameter("brand_name", "query", { type: "string", maxLength: 100 })]),
      expect: ["parameter-removed", "optional-parameter-added"],
    },
  ],
};
