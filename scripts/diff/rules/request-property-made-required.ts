import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-property-made-required",
  breaking: true,
  category: "tightening",
  summary: "A request field that could be omitted must now be sent.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "input") return;
      for (const k of node.common) {
        const was = node.base.required.has(k);
        const is = node.revision.required.has(k);
        if (was !== is && is === true)
          ctx.report({
            pointer: node.at(k),
            before: was,
            after: is,
            message: `Field ${k} is now required.`,
          });
      }
    },
  },
  cases: [
    {
      when: "when a request field becomes required, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string" } }, ["a"])),
      expect: ["request-property-made-required"],
    },
  ],
};
