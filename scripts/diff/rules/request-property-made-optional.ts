import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-property-made-optional",
  breaking: false,
  category: "relaxation",
  summary: "A required request field may now be omitted.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "input") return;
      for (const k of node.common) {
        const was = node.base.required.has(k);
        const is = node.revision.required.has(k);
        if (was !== is && is === false)
          ctx.report({
            pointer: node.at(k),
            before: was,
            after: is,
            message: `Field ${k} is now optional.`,
          });
      }
    },
  },
  cases: [
    {
      when: "when a required request field becomes optional, then it is not breaking",
      before: requestBody(object({ a: { type: "string" } }, ["a"])),
      after: requestBody(object({ a: { type: "string" } })),
      expect: ["request-property-made-optional"],
    },
  ],
};
