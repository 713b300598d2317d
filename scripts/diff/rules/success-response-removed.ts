import type { Rule } from "../types.ts";
import { object, operation, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "success-response-removed",
  breaking: true,
  category: "removal",
  summary:
    "A success status is no longer returned (for a webhook: no longer accepted as an acknowledgement).",
  visit: {
    responses(node, ctx) {
      for (const status of node.base.keys()) {
        if (node.revision.has(status) || !status.startsWith("2")) continue;
        ctx.report({
          pointers: { revision: null },
          pointer: node.at(status),
          before: status,
          after: null,
          message: node.webhook
            ? `A ${status} acknowledgement is no longer accepted.`
            : `The ${status} response was removed.`,
        });
      }
    },
  },
  cases: [
    {
      when: "when 200 becomes 201, then the removed success status is breaking",
      before: operation({ responses: { "200": { description: "ok" } } }),
      after: operation({ responses: { "201": { description: "created" } } }),
      expect: ["success-response-removed", "response-added"],
    },
    {
      when: "when a webhook accepts only 200 instead of any 2xx, then it is breaking",
      before: webhook("thing.created", object({ a: { type: "string" } })),
      after: webhook("thing.created", object({ a: { type: "string" } }), {
        responses: { "200": { description: "ok" } },
      }),
      expect: ["success-response-removed", "response-added"],
    },
  ],
};
