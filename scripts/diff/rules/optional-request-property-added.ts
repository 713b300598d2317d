import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "optional-request-property-added",
  breaking: false,
  category: "addition",
  summary: "A new optional request field.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "input") return;
      for (const k of node.added)
        if (!node.revision.required.has(k))
          ctx.report({
            pointers: { base: null },
            pointer: node.at(k),
            before: null,
            after: k,
            message: `New optional field ${k}.`,
          });
    },
  },
  cases: [
    {
      when: "when an optional request field is added, then it is not breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string" }, b: { type: "integer" } })),
      expect: ["optional-request-property-added"],
    },
  ],
};
