import { NEXT_CURSOR_FIELDS } from "../pagination.ts";
import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-made-required",
  breaking: false,
  category: "addition",
  summary: "A response field is now always present.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "output") return;
      for (const k of node.common) {
        if (node.direction === "output" && NEXT_CURSOR_FIELDS.has(k)) continue;
        const was = node.base.required.has(k);
        const is = node.revision.required.has(k);
        if (was !== is && is === true)
          ctx.report({
            pointer: node.at(k),
            before: was,
            after: is,
            message: `Field ${k} is now always present.`,
          });
      }
    },
  },
  cases: [
    {
      when: "when a response field becomes required, then it is not breaking",
      before: responseBody(object({ a: { type: "string" } })),
      after: responseBody(object({ a: { type: "string" } }, ["a"])),
      expect: ["response-property-made-required"],
    },
  ],
};
