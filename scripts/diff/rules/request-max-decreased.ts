import { boundMoves } from "../bound-changes.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-max-decreased",
  breaking: true,
  category: "tightening",
  summary:
    "A lower maxLength, maxItems, maximum or maxProperties (or a new one) rejects values that were valid.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "input") return;
      const { ranges, counts } = boundMoves(node);
      for (const r of ranges)
        if (!r.wider && r.side === "upper")
          ctx.report({ sub: `/${r.key}`, before: r.before, after: r.after, message: `${r.text}.` });
      for (const c of counts)
        if (c.side === "upper" && c.tighter)
          ctx.report({
            sub: `/${c.key}`,
            before: c.before ?? null,
            after: c.after,
            message: `${node.name} ${c.key} lowered from ${c.before ?? "none"} to ${c.after}.`,
          });
    },
  },
  cases: [
    {
      when: "when a request maxLength is lowered, then it is breaking",
      before: requestBody(object({ a: { type: "string", maxLength: 100 } })),
      after: requestBody(object({ a: { type: "string", maxLength: 50 } })),
      expect: ["request-max-decreased"],
    },
    {
      when: "when a request maxItems is lowered, then it is breaking",
      before: requestBody(
        object({ a: { type: "array", items: { type: "string" }, maxItems: 20 } }),
      ),
      after: requestBody(object({ a: { type: "array", items: { type: "string" }, maxItems: 10 } })),
      expect: ["request-max-decreased"],
    },
    {
      when: "when a request maximum is lowered, then it is breaking",
      before: requestBody(object({ a: { type: "integer", maximum: 100 } })),
      after: requestBody(object({ a: { type: "integer", maximum: 99 } })),
      expect: ["request-max-decreased"],
    },
    {
      when: "when a request field gains a maxLength, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string", maxLength: 10 } })),
      expect: ["request-max-decreased"],
    },
    {
      when: "when a request integer gains int64 with a maximum, then the maximum is the one breaking finding",
      before: requestBody(object({ a: { type: "integer", minimum: 0 } })),
      after: requestBody(
        object({ a: { type: "integer", minimum: 0, maximum: 9007199254740991, format: "int64" } }),
      ),
      expect: ["request-max-decreased", "documentation-changed"],
    },
  ],
};
