import { integerFormatAddsNothing } from "../bound-changes.ts";
import { isEncoding, keywordPointers, keywordWhat } from "../compare-keywords.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-format-changed",
  breaking: true,
  category: "tightening",
  summary: "A request field must now have a new or different format.",
  visit: {
    value(node, ctx) {
      const { base: b, revision: a } = node;
      if (node.direction !== "input" || b.format === a.format || a.format === undefined) return;
      if (integerFormatAddsNothing(node)) return;
      ctx.report({
        sub: "/format",
        before: b.format ?? null,
        after: a.format,
        message: `${node.name} must now be a ${a.format} (was ${b.format ?? `any ${a.types?.find((t) => t !== "null") ?? "value"}`}).`,
      });
    },
    keyword(node, ctx) {
      if (node.direction !== "input" || !isEncoding(node)) return;
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
      when: "when a request string's contentEncoding changes, then it is breaking",
      before: requestBody(object({ file: { type: "string", contentEncoding: "base64" } })),
      after: requestBody(object({ file: { type: "string", contentEncoding: "base16" } })),
      expect: ["request-format-changed"],
    },
    {
      when: "when a request field gains a format, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string", format: "email" } })),
      expect: ["request-format-changed"],
    },
    {
      when: "when a request format changes, then it is breaking",
      before: requestBody(object({ a: { type: "string", format: "date-time" } })),
      after: requestBody(object({ a: { type: "string", format: "date" } })),
      expect: ["request-format-changed"],
    },
    {
      when: "when a request integer gains int32 but its old bounds did not fit int32, then it is breaking",
      before: requestBody(object({ n: { type: "integer", minimum: 0 } })),
      after: requestBody(object({ n: { type: "integer", minimum: 0, format: "int32" } })),
      expect: ["request-format-changed"],
    },
  ],
};
