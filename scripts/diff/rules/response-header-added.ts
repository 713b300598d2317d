import { pairHeaders, pairParameters } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-header-added",
  breaking: false,
  category: "addition",
  summary: "A new response header.",
  visit: {
    parameters(node, ctx) {
      if (!node.webhook) return;
      for (const p of pairParameters(node).added)
        if (p.where === "header")
          ctx.report({
            pointers: { base: null },
            pointer: node.at(p),
            before: null,
            after: p.name,
            message: `Header ${p.name} is now sent.`,
          });
    },
    headers(node, ctx) {
      for (const { name } of pairHeaders(node).added)
        ctx.report({
          pointers: { base: null },
          pointer: node.at(name),
          before: null,
          after: name,
          message: `New response header ${name}.`,
        });
    },
  },
  cases: [
    {
      when: "when a response header is added, then it is not breaking",
      before: operation({ responses: { "200": { description: "ok" } } }),
      after: operation({
        responses: {
          "200": { description: "ok", headers: { "Request-Id": { schema: { type: "string" } } } },
        },
      }),
      expect: ["response-header-added"],
    },
  ],
};
