import { pairParameters } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "parameter-removed",
  breaking: true,
  category: "removal",
  summary: "A parameter is gone; requests that send it are rejected as unknown.",
  visit: {
    parameters(node, ctx) {
      for (const p of pairParameters(node).removed)
        if (!(node.webhook && p.where === "header"))
          ctx.report({
            pointers: { revision: null },
            pointer: node.at(p),
            before: p.name,
            after: null,
            message: `${p.where} parameter ${p.name} was removed; requests that send it are rejected.`,
          });
    },
  },
  cases: [
    {
      when: "when a query parameter is removed, then it is breaking",
      before: withParameters([parameter("brand", "query", { type: "string" })]),
      after: withParameters([]),
      expect: ["parameter-removed"],
    },
    {
      when: "when a header parameter is removed, then it is breaking",
      before: withParameters([parameter("X-Trace", "header", { type: "string" })]),
      after: withParameters([]),
      expect: ["parameter-removed"],
    },
  ],
};
