import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "required-request-property-added",
  breaking: true,
  category: "tightening",
  summary: "A new request field must be sent; existing requests lack it.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "input") return;
      for (const k of node.added)
        if (node.revision.required.has(k))
          ctx.report({
            pointers: { base: null },
            pointer: node.at(k),
            before: null,
            after: k,
            message: `New required field ${k}: requests without it are now rejected.`,
          });
    },
  },
  cases: [
    {
      when: "when a required request field is added, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string" }, b: { type: "integer" } }, ["b"])),
      expect: ["required-request-property-added"],
    },
  ],
};
