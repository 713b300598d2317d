import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-added",
  breaking: false,
  category: "addition",
  summary: "A newly documented response status.",
  visit: {
    responses(node, ctx) {
      for (const status of node.revision.keys()) {
        if (node.base.has(status)) continue;
        ctx.report({
          pointers: { base: null },
          pointer: node.at(status),
          before: null,
          after: status,
          message: `New documented ${status} response.`,
        });
      }
    },
  },
  cases: [
    {
      when: "when a 429 response is documented, then it is not breaking",
      before: operation({ responses: { "200": { description: "ok" } } }),
      after: operation({
        responses: { "200": { description: "ok" }, "429": { description: "slow down" } },
      }),
      expect: ["response-added"],
    },
  ],
};
