import { escapePointer } from "../pointer.ts";
import { pairWebhooks } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { document, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "webhook-added",
  breaking: false,
  category: "addition",
  summary: "A new event type.",
  visit: {
    webhooks(node, ctx) {
      for (const name of pairWebhooks(node).added)
        ctx.report({
          pointers: { base: null },
          scope: { webhook: name },
          pointer: `/webhooks/${escapePointer(name)}`,
          before: null,
          after: name,
          message: `New event type ${name}.`,
        });
    },
  },
  cases: [
    {
      when: "when an event type is added, then it is not breaking",
      before: document(),
      after: webhook("thing.created", { type: "object" }),
      expect: ["webhook-added"],
    },
  ],
};
