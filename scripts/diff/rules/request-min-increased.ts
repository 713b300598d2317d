import { boundMoves } from "../bound-changes.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-min-increased",
  breaking: true,
  category: "tightening",
  summary:
    "A higher minLength, minItems, minimum or minProperties (or a new one) rejects values that were valid.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "input") return;
      const { ranges, counts } = boundMoves(node);
      for (const r of ranges)
        if (!r.wider && r.side === "lower")
          ctx.report({ sub: `/${r.key}`, before: r.before, after: r.after, message: `${r.text}.` });
      for (const c of counts)
        if (c.side === "lower" && c.tighter)
          ctx.report({
            sub: `/${c.key}`,
            before: c.before ?? null,
            after: c.after,
            message: `${node.name} ${c.key} raised from ${c.before ?? "none"} to ${c.after}.`,
          });
    },
  },
  cases: [
    {
      when: "when a request minLength is raised, then it is breaking",
      before: requestBody(object({ a: { type: "string", minLength: 1 } })),
      after: requestBody(object({ a: { type: "string", minLength: 2 } })),
      expect: ["request-min-increased"],
    },
    {
      when: "when a request minimum is raised, then it is breaking",
      before: requestBody(object({ a: { type: "integer", minimum: 1 } })),
      after: requestBody(object({ a: { type: "integer", minimum: 100 } })),
      expect: ["request-min-increased"],
    },
    {
      when: "when a request array gains minItems, then it is breaking",
      before: requestBody(object({ a: { type: "array", items: { type: "string" } } })),
      after: requestBody(object({ a: { type: "array", items: { type: "string" }, minItems: 1 } })),
      expect: ["request-min-increased"],
    },
  ],
};
