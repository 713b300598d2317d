import { flagMoves } from "../bound-changes.ts";
import {
  isEncoding,
  keywordBreaks,
  keywordMove,
  keywordPointers,
  keywordWhat,
} from "../compare-keywords.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

type Json = Record<string, unknown>;
const tags = (extra: Json) => object({ t: { type: "array", items: { type: "string" }, ...extra } });
const pair = (extra: Json) => object({ a: { type: "string" }, b: { type: "string" } }, [], extra);

export const rule: Rule = {
  id: "request-constraint-added",
  breaking: true,
  category: "tightening",
  summary:
    "A request schema gains or tightens a keyword (uniqueItems, multipleOf, contains, dependentRequired, dependentSchemas, if/then/else, prefixItems, propertyNames, patternProperties, unevaluatedProperties...): requests it accepted may be rejected.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "input") return;
      const { tighter, before, after } = flagMoves(node);
      if (tighter.length > 0)
        ctx.report({ before, after, message: `${node.name} now requires ${tighter.join(", ")}.` });
    },
    keyword(node, ctx) {
      if (node.direction !== "input" || isEncoding(node)) return;
      const move = keywordMove(node);
      if (move === "same" || move === "unknown" || !keywordBreaks(node)) return;
      ctx.report({
        sub: `/${node.shown}`,
        pointers: keywordPointers(node),
        before: node.before,
        after: node.after,
        message: `${node.name} ${keywordWhat(node)}: requests it accepted may now be rejected.`,
      });
    },
    backstop(node, ctx) {
      if (node.direction === "input" && node.verdict === "no")
        ctx.report({
          before: null,
          after: null,
          message:
            "The subschema check finds a request value the old schema accepted and the new one rejects.",
        });
    },
  },
  cases: [
    {
      when: "when a request array gains contains, then it is breaking",
      before: requestBody(tags({})),
      after: requestBody(tags({ contains: { const: "main" } })),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request array's minContains is raised, then it is breaking",
      before: requestBody(tags({ contains: { const: "main" } })),
      after: requestBody(tags({ contains: { const: "main" }, minContains: 2 })),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request object gains dependentRequired, then it is breaking",
      before: requestBody(pair({})),
      after: requestBody(pair({ dependentRequired: { a: ["b"] } })),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request object gains dependentSchemas, then it is breaking",
      before: requestBody(pair({})),
      after: requestBody(pair({ dependentSchemas: { a: { required: ["b"] } } })),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request object gains if/then/else, then it is breaking",
      before: requestBody(pair({})),
      after: requestBody(
        pair({
          if: { properties: { a: { const: "x" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
          then: { required: ["b"] },
          else: { maxProperties: 1 },
        }),
      ),
      expect: ["request-constraint-added", "request-constraint-added", "request-constraint-added"],
    },
    {
      when: "when a request array gains prefixItems, then it is breaking",
      before: requestBody(tags({})),
      after: requestBody(tags({ prefixItems: [{ const: "main" }] })),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request object gains propertyNames, then it is breaking",
      before: requestBody(object({ m: { type: "object" } })),
      after: requestBody(object({ m: { type: "object", propertyNames: { pattern: "^[a-z]+$" } } })),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request object's unevaluatedProperties schema is tightened, then it is breaking",
      before: requestBody(
        object({ m: { type: "object", unevaluatedProperties: { type: "string" } } }),
      ),
      after: requestBody(
        object({ m: { type: "object", unevaluatedProperties: { type: "string", maxLength: 3 } } }),
      ),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request object gains patternProperties, then it is breaking",
      before: requestBody(object({ m: { type: "object" } })),
      after: requestBody(
        object({ m: { type: "object", patternProperties: { "^x-": { type: "string" } } } }),
      ),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request array must now be unique, then it is breaking",
      before: requestBody(object({ a: { type: "array", items: { type: "string" } } })),
      after: requestBody(
        object({ a: { type: "array", items: { type: "string" }, uniqueItems: true } }),
      ),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request number gains multipleOf, then it is breaking",
      before: requestBody(object({ a: { type: "integer" } })),
      after: requestBody(object({ a: { type: "integer", multipleOf: 100 } })),
      expect: ["request-constraint-added"],
    },
  ],
};
