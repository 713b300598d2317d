import { isEncoding, keywordPointers, keywordWhat } from "../compare-keywords.ts";
import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-format-changed",
  breaking: true,
  category: "guarantee",
  summary: "A response field's format changed or was dropped; parsers that rely on it break.",
  visit: {
    value(node, ctx) {
      const { base: b, revision: a } = node;
      if (node.direction !== "output" || b.format === a.format || b.format === undefined) return;
      ctx.report({
        sub: "/format",
        before: b.format,
        after: a.format ?? null,
        message: `${node.name} is no longer guaranteed to be a ${b.format} (now ${a.format ?? "any string"}).`,
      });
    },
    keyword(node, ctx) {
      if (node.direction !== "output" || !isEncoding(node)) return;
      ctx.report({
        sub: `/${node.shown}`,
        pointers: keywordPointers(node),
        before: node.before,
        after: node.after,
        message: `${node.name} ${keywordWhat(node)}: its content is encoded differently (${String(node.before ?? "none")} → ${String(node.after ?? "none")}).`,
      });
    },
  },
  cases: [
    {
      when: "when a response date-time becomes a date, then it is breaking",
      before: responseBody(object({ a: { type: "string", format: "date-time" } }, ["a"])),
      after: responseBody(object({ a: { type: "string", format: "date" } }, ["a"])),
      expect: ["response-format-changed"],
    },
  ],
};
