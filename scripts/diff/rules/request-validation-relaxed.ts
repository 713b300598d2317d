import { boundMoves, flagMoves, integerFormatAddsNothing, patternMove } from "../bound-changes.ts";
import {
  isEncoding,
  keywordBreaks,
  keywordMove,
  keywordPointers,
  keywordWhat,
} from "../compare-keywords.ts";
import { enumDelta, enumValues, lostRequestTypes, typeDelta } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { list, object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-validation-relaxed",
  breaking: false,
  category: "relaxation",
  summary:
    "Request validation accepts more than before (a bound raised, a pattern, format or enum dropped, null allowed).",
  visit: {
    requestBody(node, ctx) {
      if (node.webhook) return;
      if (
        node.base?.required === true &&
        node.revision?.required !== true &&
        node.revision !== undefined
      )
        ctx.report({
          sub: "/required",
          before: true,
          after: false,
          message: "The request body is now optional.",
        });
    },
    headers(node, ctx) {
      // A receiver's acknowledgement header we no longer describe is one we no longer read.
      if (!node.webhook) return;
      for (const [k, { name }] of node.base)
        if (!node.revision.has(k))
          ctx.report({
            pointer: node.at(name),
            before: name,
            after: null,
            message: `Acknowledgement header ${name} is no longer described.`,
          });
    },
    value(node, ctx) {
      if (node.direction !== "input") return;
      const { base: b, revision: a } = node;
      const types = typeDelta(node);
      if (lostRequestTypes(node).length === 0 && types.gained.includes("null"))
        ctx.report({
          sub: "/type",
          before: types.before,
          after: types.after,
          message: `${node.name} now also accepts null.`,
        });
      const d = enumDelta(node);
      if (d?.before !== undefined && d.after === undefined)
        ctx.report({
          sub: "/enum",
          before: enumValues([...d.before]),
          after: null,
          message: `${node.name} accepts any value now (enum dropped).`,
        });
      const { ranges, counts } = boundMoves(node);
      for (const r of ranges)
        if (r.wider)
          ctx.report({ sub: `/${r.key}`, before: r.before, after: r.after, message: `${r.text}.` });
      for (const c of counts) {
        if (c.tighter) continue;
        ctx.report({
          sub: `/${c.key}`,
          before: c.before ?? null,
          after: c.after ?? null,
          message: `${node.name} ${c.key} ${c.side === "upper" ? "raised" : "lowered"} from ${c.before} to ${c.after ?? "none"}.`,
        });
      }
      const pattern = patternMove(node);
      if (pattern !== null && pattern.newOnes.length === 0)
        ctx.report({
          sub: "/pattern",
          before: pattern.before,
          after: pattern.after || null,
          message: `${node.name} pattern dropped.`,
        });
      if (b.format !== a.format && a.format === undefined && !integerFormatAddsNothing(node))
        ctx.report({
          sub: "/format",
          before: b.format,
          after: null,
          message: `${node.name} no longer has to be a ${b.format}.`,
        });
      if (b.additional === false && a.additional !== false)
        ctx.report({
          sub: "/additionalProperties",
          before: false,
          after: true,
          message: `${node.name} now accepts unlisted properties.`,
        });
      const flags = flagMoves(node);
      if (flags.tighter.length === 0 && flags.looser.length > 0)
        ctx.report({
          before: flags.before,
          after: flags.after,
          message: `${node.name} dropped ${flags.looser.join(", ")}.`,
        });
    },
    keyword(node, ctx) {
      if (node.direction !== "input" || isEncoding(node)) return;
      const move = keywordMove(node);
      if (move === "same" || move === "unknown" || keywordBreaks(node)) return;
      ctx.report({
        sub: `/${node.shown}`,
        pointers: keywordPointers(node),
        before: node.before,
        after: node.after,
        message: `${node.name} ${keywordWhat(node)}: it accepts more requests.`,
      });
    },
  },
  cases: [
    {
      when: "when a request exclusiveMaximum (3.1 style) is relaxed to an inclusive maximum, then it is not breaking",
      before: requestBody(object({ a: { type: "number", exclusiveMaximum: 10 } })),
      after: requestBody(object({ a: { type: "number", maximum: 10 } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request exclusiveMinimum (3.0 boolean style) is dropped, then it is not breaking",
      before: requestBody(object({ a: { type: "number", minimum: 0, exclusiveMinimum: true } })),
      after: requestBody(object({ a: { type: "number", minimum: 0 } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when an integer's exclusiveMaximum 11 becomes maximum 10, then nothing changed",
      before: requestBody(object({ a: { type: "integer", exclusiveMaximum: 11 } })),
      after: requestBody(object({ a: { type: "integer", maximum: 10 } })),
      expect: [],
    },
    {
      when: "when limit's maximum is raised, then it is not breaking",
      before: list(),
      after: list({ limit: { type: "integer", minimum: 1, maximum: 200, default: 20 } }),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request array's contains is dropped, then it is not breaking",
      before: requestBody(object({ t: { type: "array", contains: { const: "x" } } })),
      after: requestBody(object({ t: { type: "array" } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request maxLength is raised, then it is not breaking",
      before: requestBody(object({ a: { type: "string", maxLength: 10 } })),
      after: requestBody(object({ a: { type: "string", maxLength: 20 } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request pattern is dropped, then it is not breaking",
      before: requestBody(object({ a: { type: "string", pattern: "^a$" } })),
      after: requestBody(object({ a: { type: "string" } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request field starts to accept null, then it is not breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: ["string", "null"] } })),
      expect: ["request-validation-relaxed"],
    },
    {
      when: "when a request minimum is lowered, then it is not breaking",
      before: requestBody(object({ a: { type: "integer", minimum: 5 } })),
      after: requestBody(object({ a: { type: "integer", minimum: 1 } })),
      expect: ["request-validation-relaxed"],
    },
  ],
};
