import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "error-response-removed",
  breaking: false,
  category: "relaxation",
  summary: "A documented error status is no longer described.",
  visit: {
    responses(node, ctx) {
      for (const status of node.base.keys()) {
        if (node.revision.has(status) || status.startsWith("2")) continue;
        ctx.report({
          pointers: { revision: null },
          pointer: node.at(status),
          before: status,
          after: null,
          message: `The documented ${status} response was removed.`,
        });
      }
    },
  },
  cases: [
    {
      when: "when a documented 409 is removed, then it is not breaking",
      before: operation({
        responses: { "200": { description: "ok" }, "409": { description: "conflict" } },
      }),
      after: operation({ responses: { "200": { description: "ok" } } }),
      expect: ["error-response-removed"],
    },
  ],
};
