import { escapePointer } from "../pointer.ts";
import { pairWebhooks } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { object, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "webhook-renamed",
  breaking: true,
  category: "rename",
  summary: "An event type was removed and one with the same payload added: most likely a rename.",
  visit: {
    webhooks(node, ctx) {
      for (const [name, to] of pairWebhooks(node).renamed)
        ctx.report({
          scope: { webhook: to },
          pointer: `/webhooks/${escapePointer(to)}`,
          pointers: { base: `/webhooks/${escapePointer(name)}` },
          before: name,
          after: to,
          message: `Event type ${name} was renamed to ${to}; receivers that match on ${name} miss it.`,
        });
    },
  },
  cases: [
    {
      when: "when an event type is renamed, then one rename is reported",
      before: webhook(
        "thing.done",
        object({ type: { const: "thing.done" }, id: { type: "string" } }, ["type", "id"]),
      ),
      after: webhook(
        "thing.completed",
        object({ type: { const: "thing.completed" }, id: { type: "string" } }, ["type", "id"]),
        { "x-renamed-from": "thing.done" },
      ),
      expect: ["webhook-renamed"],
    },
  ],
};
