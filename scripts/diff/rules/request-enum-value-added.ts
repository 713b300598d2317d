import { enumDelta, enumValues } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-enum-value-added",
  breaking: false,
  category: "relaxation",
  summary: "A request enum accepts another value.",
  visit: {
    value(node, ctx) {
      const d = enumDelta(node);
      if (node.direction !== "input" || d === undefined || d.added.length === 0) return;
      ctx.report({
        sub: "/enum",
        before: null,
        after: enumValues(d.added),
        message: `${node.name} now also accepts ${d.added.join(", ")}.`,
      });
    },
  },
  cases: [
    {
      when: "when a request enum gains a value, then it is not breaking",
      before: requestBody(object({ a: { type: "string", enum: ["x"] } })),
      after: requestBody(object({ a: { type: "string", enum: ["x", "y"] } })),
      expect: ["request-enum-value-added"],
    },
  ],
};
