import { lostRequestTypes, typeDelta } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-type-narrowed",
  breaking: true,
  category: "tightening",
  summary: "A request field accepts fewer types (or fewer alternatives).",
  visit: {
    value(node, ctx) {
      if (node.direction !== "input") return;
      const lost = lostRequestTypes(node);
      if (lost.length === 0) return;
      const { before, after } = typeDelta(node);
      ctx.report({
        before,
        after,
        message: `${node.name} no longer accepts ${lost.join(", ")} (was ${before}, now ${after}).`,
      });
    },
    variants(node, ctx) {
      if (node.direction !== "input") return;
      for (const { label, index } of node.removed)
        ctx.report({
          sub: `/${node.keyword}/${index}`,
          before: label,
          after: null,
          message: `${node.name} no longer accepts the alternative ${label}.`,
        });
    },
  },
  cases: [
    {
      when: "when a closed request tuple loses its prefixItems, then it is breaking",
      before: requestBody(
        object({ t: { type: "array", prefixItems: [{ type: "string" }], items: false } }),
      ),
      after: requestBody(object({ t: { type: "array", items: false } })),
      expect: ["request-constraint-added"],
    },
    {
      when: "when a request field goes from number to integer, then it is breaking",
      before: requestBody(object({ a: { type: "number" } })),
      after: requestBody(object({ a: { type: "integer" } })),
      expect: ["request-type-narrowed"],
    },
    {
      when: "when a request field goes from string to integer, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "integer" } })),
      expect: ["request-type-narrowed"],
    },
    {
      when: "when a request oneOf loses an alternative, then it is breaking",
      before: requestBody(
        object({ a: { oneOf: [{ type: "string" }, { type: "integer" }, { type: "boolean" }] } }),
      ),
      after: requestBody(object({ a: { oneOf: [{ type: "string" }, { type: "integer" }] } })),
      expect: ["request-type-narrowed"],
    },
  ],
};
