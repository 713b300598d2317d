import { boundMoves, flagMoves, patternMove } from "../bound-changes.ts";
import {
  isEncoding,
  keywordBreaks,
  keywordMove,
  keywordPointers,
  keywordWhat,
} from "../compare-keywords.ts";
import { enumDelta, enumValues } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

const withA = (a: Record<string, unknown>) => responseBody(object({ a }, ["a"]));

export const rule: Rule = {
  id: "response-constraint-relaxed",
  breaking: true,
  category: "guarantee",
  summary:
    "A response schema now allows values it did not (a raised maximum, a dropped pattern or enum, a looser keyword): clients may receive data they never had to handle.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "output") return;
      const { base: b, revision: a } = node;
      const d = enumDelta(node);
      if (d?.before !== undefined && d.after === undefined)
        ctx.report({
          sub: "/enum",
          before: enumValues([...d.before]),
          after: null,
          message: `${node.name} is no longer limited to a fixed set of values.`,
        });
      const { ranges, counts } = boundMoves(node);
      for (const r of ranges)
        if (r.wider)
          ctx.report({
            sub: `/${r.key}`,
            before: r.before,
            after: r.after,
            message: `${r.text}: responses may now hold values outside the old range.`,
          });
      for (const c of counts)
        if (!c.tighter)
          ctx.report({
            sub: `/${c.key}`,
            before: c.before ?? null,
            after: c.after ?? null,
            message: `${node.name} ${c.key} changed from ${c.before ?? "none"} to ${c.after ?? "none"}.`,
          });
      const pattern = patternMove(node);
      if (pattern !== null && pattern.dropped.length > 0)
        ctx.report({
          sub: "/pattern",
          before: pattern.before || null,
          after: pattern.after || null,
          message: `${node.name} no longer promises to match ${pattern.dropped.join(" and ")}.`,
        });
      if (b.additional === false && a.additional !== false)
        ctx.report({
          sub: "/additionalProperties",
          before: false,
          after: true,
          message: `${node.name} may now have unlisted properties.`,
        });
      const flags = flagMoves(node);
      if (flags.looser.length > 0)
        ctx.report({
          before: flags.before,
          after: flags.after,
          message: `${node.name} ${[...flags.tighter, ...flags.looser].join(", ")} changed.`,
        });
    },
    keyword(node, ctx) {
      if (node.direction !== "output" || isEncoding(node)) return;
      const move = keywordMove(node);
      if (move === "same" || move === "unknown" || !keywordBreaks(node)) return;
      ctx.report({
        sub: `/${node.shown}`,
        pointers: keywordPointers(node),
        before: node.before,
        after: node.after,
        message: `${node.name} ${keywordWhat(node)}: responses may now hold values it did not allow before.`,
      });
    },
    backstop(node, ctx) {
      if (node.direction === "output" && node.verdict === "no")
        ctx.report({
          before: null,
          after: null,
          message:
            "The subschema check finds a value the new schema may produce that the old one could not.",
        });
    },
  },
  cases: [
    {
      when: "when a response maxLength is raised, then it is breaking",
      before: withA({ type: "string", maxLength: 10 }),
      after: withA({ type: "string", maxLength: 20 }),
      expect: ["response-constraint-relaxed"],
    },
    {
      when: "when a response exclusiveMaximum is relaxed to an inclusive maximum, then it is breaking",
      before: withA({ type: "number", exclusiveMaximum: 10 }),
      after: withA({ type: "number", maximum: 10 }),
      expect: ["response-constraint-relaxed"],
    },
    {
      when: "when a response pattern is dropped, then it is breaking",
      before: withA({ type: "string", pattern: "^[a-z]+$" }),
      after: withA({ type: "string" }),
      expect: ["response-constraint-relaxed"],
    },
    {
      when: "when a response array loses its contains, then it is breaking",
      before: withA({ type: "array", items: { type: "string" }, contains: { const: "x" } }),
      after: withA({ type: "array", items: { type: "string" } }),
      expect: ["response-constraint-relaxed"],
    },
    {
      when: "when a response loses a dependentRequired entry, then it is breaking",
      before: responseBody(
        object({ a: { type: "string" }, b: { type: "string" } }, [], {
          dependentRequired: { a: ["b"] },
        }),
      ),
      after: responseBody(object({ a: { type: "string" }, b: { type: "string" } })),
      expect: ["response-constraint-relaxed"],
    },
  ],
};
