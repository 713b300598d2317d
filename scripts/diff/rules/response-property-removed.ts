import { NEXT_CURSOR_FIELDS } from "../pagination.ts";
import type { Rule } from "../types.ts";
import { object, responseBody, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-removed",
  breaking: true,
  category: "removal",
  summary: "A response (or webhook payload) field is gone; clients that read it break.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "output") return;
      for (const k of node.removed) {
        if (node.renames.has(k) || (node.direction === "output" && NEXT_CURSOR_FIELDS.has(k)))
          continue;
        ctx.report({
          pointers: { revision: null },
          pointer: node.at(k),
          before: k,
          after: null,
          message: `Field ${k} was removed.`,
        });
      }
    },
  },
  cases: [
    {
      when: "when a response field is removed, then it is breaking",
      before: responseBody(object({ a: { type: "string" }, b: { type: "integer" } }, ["a", "b"])),
      after: responseBody(object({ a: { type: "string" } }, ["a"])),
      expect: ["response-property-removed"],
    },
    {
      when: "when a webhook payload field is removed, then it is breaking",
      before: webhook(
        "thing.created",
        object({ a: { type: "string" }, b: { type: "integer" } }, ["a", "b"]),
      ),
      after: webhook("thing.created", object({ a: { type: "string" } }, ["a"])),
      expect: ["response-property-removed"],
    },
  ],
};
