import { patternMove } from "../bound-changes.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-pattern-changed",
  breaking: true,
  category: "tightening",
  summary: "A request field must match a new or different pattern.",
  visit: {
    value(node, ctx) {
      const move = patternMove(node);
      if (node.direction !== "input" || move === null || move.newOnes.length === 0) return;
      ctx.report({
        sub: "/pattern",
        before: move.before || null,
        after: move.after,
        message: `${node.name} must now match ${move.newOnes.join(" and ")}.`,
      });
    },
  },
  cases: [
    {
      when: "when a request field gains a pattern, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string", pattern: "^[A-Z]{3}$" } })),
      expect: ["request-pattern-changed"],
    },
    {
      when: "when a request pattern changes, then it is breaking",
      before: requestBody(object({ a: { type: "string", pattern: "^[A-Z]{3}$" } })),
      after: requestBody(object({ a: { type: "string", pattern: "^[A-Z]{2}$" } })),
      expect: ["request-pattern-changed"],
    },
  ],
};
