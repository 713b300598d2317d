import { escapePointer } from "../pointer.ts";
import { pairWebhooks } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { document, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "webhook-removed",
  breaking: true,
  category: "removal",
  summary: "An event type is no longer sent.",
  visit: {
    webhooks(node, ctx) {
      for (const name of pairWebhooks(node).removed)
        ctx.report({
          pointers: { revision: null },
          scope: { webhook: name },
          pointer: `/webhooks/${escapePointer(name)}`,
          before: name,
          after: null,
          message: `Event type ${name} is no longer sent.`,
        });
    },
  },
  cases: [
    {
      when: "when an event type is removed, then it is breaking",
      before: document({
        webhooks: {
          ...(webhook("a.created", { type: "object" }).webhooks as object),
          ...(webhook("b.created", { type: "array" }).webhooks as object),
        },
      }),
      after: webhook("a.created", { type: "object" }),
      expect: ["webhook-removed"],
    },
  ],
};
