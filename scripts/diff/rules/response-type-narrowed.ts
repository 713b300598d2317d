import { typeDelta } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-type-narrowed",
  breaking: false,
  category: "addition",
  summary: "A response field now has fewer possible types (for example, no longer null).",
  visit: {
    value(node, ctx) {
      if (node.direction !== "output") return;
      const { gained, lost, before, after } = typeDelta(node);
      if (lost.length > 0 && !gained.some((t) => t !== "null"))
        ctx.report({
          before,
          after,
          message: `${node.name} is now always ${after} (was ${before}).`,
        });
    },
  },
  cases: [
    {
      when: "when a response field can no longer be null, then it is not breaking",
      before: responseBody(object({ a: { type: ["string", "null"] } }, ["a"])),
      after: responseBody(object({ a: { type: "string" } }, ["a"])),
      expect: ["response-type-narrowed"],
    },
  ],
};
