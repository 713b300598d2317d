import { NEXT_CURSOR_FIELDS } from "../pagination.ts";
import type { Rule } from "../types.ts";
import { object, responseBody, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-made-optional",
  breaking: true,
  category: "guarantee",
  summary: "A response field that was always present may now be absent.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "output") return;
      for (const k of node.common) {
        if (node.direction === "output" && NEXT_CURSOR_FIELDS.has(k)) continue;
        const was = node.base.required.has(k);
        const is = node.revision.required.has(k);
        if (was !== is && is === false)
          ctx.report({
            pointer: node.at(k),
            before: was,
            after: is,
            message: `Field ${k} may now be absent.`,
          });
      }
    },
  },
  cases: [
    {
      when: "when a response field stops being required, then it is breaking",
      before: responseBody(object({ a: { type: "string" } }, ["a"])),
      after: responseBody(object({ a: { type: "string" } })),
      expect: ["response-property-made-optional"],
    },
    {
      when: "when a webhook payload field stops being required, then it is breaking",
      before: webhook("thing.created", object({ a: { type: "string" } }, ["a"])),
      after: webhook("thing.created", object({ a: { type: "string" } })),
      expect: ["response-property-made-optional"],
    },
  ],
};
