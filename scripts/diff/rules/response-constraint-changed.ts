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

export const rule: Rule = {
  id: "response-constraint-changed",
  breaking: false,
  category: "relaxation",
  summary:
    "A response schema is constrained further (a lower maximum, a new pattern or keyword): everything it may now produce, it could produce before.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "output") return;
      const { base: b, revision: a } = node;
      const d = enumDelta(node);
      if (d?.before === undefined && d?.after !== undefined)
        ctx.report({
          sub: "/enum",
          before: null,
          after: enumValues([...d.after]),
          message: `${node.name} is now limited to ${[...d.after].join(", ")}.`,
        });
      const { ranges, counts } = boundMoves(node);
      for (const r of ranges)
        if (!r.wider)
          ctx.report({ sub: `/${r.key}`, before: r.before, after: r.after, message: `${r.text}.` });
      for (const c of counts)
        if (c.tighter)
          ctx.report({
            sub: `/${c.key}`,
            before: c.before ?? null,
            after: c.after ?? null,
            message: `${node.name} ${c.key} changed from ${c.before ?? "none"} to ${c.after ?? "none"}.`,
          });
      const pattern = patternMove(node);
      if (pattern !== null && pattern.dropped.length === 0)
        ctx.report({
          sub: "/pattern",
          before: pattern.before || null,
          after: pattern.after || null,
          message: `${node.name} pattern changed.`,
        });
      if (b.format !== a.format && b.format === undefined)
        ctx.report({
          sub: "/format",
          before: null,
          after: a.format,
          message: `${node.name} is now documented as a ${a.format}.`,
        });
      if (b.additional !== false && a.additional === false)
        ctx.report({
          sub: "/additionalProperties",
          before: true,
          after: false,
          message: `${node.name} now lists every property it may have.`,
        });
      const flags = flagMoves(node);
      if (flags.tighter.length > 0 && flags.looser.length === 0)
        ctx.report({
          before: flags.before,
          after: flags.after,
          message: `${node.name} ${flags.tighter.join(", ")} changed.`,
        });
    },
    keyword(node, ctx) {
      if (node.direction !== "output" || isEncoding(node)) return;
      const move = keywordMove(node);
      if (move === "same" || move === "unknown" || keywordBreaks(node)) return;
      ctx.report({
        sub: `/${node.shown}`,
        pointers: keywordPointers(node),
        before: node.before,
        after: node.after,
        message: `${node.name} ${keywordWhat(node)}: responses are constrained further.`,
      });
    },
  },
  cases: [
    {
      when: "when a response maxLength is lowered, then it is not breaking",
      before: responseBody(object({ a: { type: "string", maxLength: 20 } }, ["a"])),
      after: responseBody(object({ a: { type: "string", maxLength: 10 } }, ["a"])),
      expect: ["response-constraint-changed"],
    },
    {
      when: "when a response array gains prefixItems, then it is not breaking",
      before: responseBody(object({ a: { type: "array", items: { type: "string" } } }, ["a"])),
      after: responseBody(
        object({ a: { type: "array", items: { type: "string" }, prefixItems: [{ const: "x" }] } }, [
          "a",
        ]),
      ),
      expect: ["response-constraint-changed"],
    },
  ],
};
