import { isEncoding, keywordMove, keywordPointers, keywordWhat } from "../compare-keywords.ts";
import type { Rule } from "../types.ts";
import { object, requestBody, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "cannot-prove-compatible",
  breaking: true,
  category: "tightening",
  summary:
    "A schema keyword changed in a way the subschema check cannot decide; it is treated as breaking, never passed over.",
  visit: {
    keyword(node, ctx) {
      if (isEncoding(node) || keywordMove(node) !== "unknown") return;
      ctx.report({
        sub: `/${node.shown}`,
        pointers: keywordPointers(node),
        before: node.before,
        after: node.after,
        message: `${node.name} ${keywordWhat(node)}; the diff cannot prove the change compatible, so it is treated as breaking.`,
      });
    },
    backstop(node, ctx) {
      if (node.verdict === "unknown")
        ctx.report({
          before: null,
          after: null,
          message:
            "The schema changed in a way the diff cannot prove compatible; treated as breaking.",
        });
    },
  },
  cases: [
    {
      when: "when a request schema's if condition changes, then it cannot be proved compatible",
      before: requestBody(
        object({ kind: { type: "string" }, ref: { type: "string" } }, [], {
          if: { properties: { kind: { const: "a" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
          then: { required: ["ref"] },
        }),
      ),
      after: requestBody(
        object({ kind: { type: "string" }, ref: { type: "string" } }, [], {
          if: { properties: { kind: { const: "b" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
          then: { required: ["ref"] },
        }),
      ),
      expect: ["cannot-prove-compatible"],
    },
    {
      when: "when a keyword nobody models changes in a response, then it cannot be proved compatible",
      before: responseBody(object({ a: { type: "string", "x-unused": 1, unknownKeyword: 1 } })),
      after: responseBody(object({ a: { type: "string", "x-unused": 1, unknownKeyword: 2 } })),
      expect: ["cannot-prove-compatible"],
    },
  ],
};
