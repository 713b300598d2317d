import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-property-renamed",
  breaking: true,
  category: "rename",
  summary: "A request field was removed and one with the same schema added: most likely a rename.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "input") return;
      for (const k of node.removed) {
        const to = node.renames.get(k);
        if (to === undefined) continue;
        ctx.report({
          pointer: node.at(k),
          pointers: { revision: node.at(to) },
          before: k,
          after: to,
          message: `Field ${k} was renamed to ${to}${node.revision.properties.get(to)?.renamedFrom === k ? " (x-renamed-from)" : " (same schema)"}.`,
        });
      }
    },
  },
  cases: [
    {
      when: "when a request field is renamed with x-renamed-from, then one rename is reported",
      before: requestBody(object({ ref: { type: "string", maxLength: 50 } })),
      after: requestBody(
        object({ reference: { type: "string", maxLength: 50, "x-renamed-from": "ref" } }),
      ),
      expect: ["request-property-renamed"],
    },
  ],
};
