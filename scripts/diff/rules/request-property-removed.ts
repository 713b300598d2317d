import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-property-removed",
  breaking: true,
  category: "removal",
  summary: "A request field is gone; requests that send it are rejected as unknown.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "input") return;
      for (const k of node.removed) {
        if (node.renames.has(k)) continue;
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
      when: "when a request field is removed, then it is breaking",
      before: requestBody(object({ a: { type: "string" }, b: { type: "integer" } })),
      after: requestBody(object({ a: { type: "string" } })),
      expect: ["request-property-removed"],
    },
    {
      when: "when a nested request field is removed, then it is breaking",
      before: requestBody(
        object({ address: object({ line1: { type: "string" }, line2: { type: "integer" } }) }),
      ),
      after: requestBody(object({ address: object({ line1: { type: "string" } }) })),
      expect: ["request-property-removed"],
    },
  ],
};
