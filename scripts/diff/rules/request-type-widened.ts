import { lostRequestTypes, typeDelta } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, parameter, requestBody, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-type-widened",
  breaking: false,
  category: "relaxation",
  summary: "A request field accepts more types.",
  visit: {
    value(node, ctx) {
      if (node.direction !== "input") return;
      const { gained, before, after } = typeDelta(node);
      const more = gained.filter((t) => t !== "null");
      if (more.length > 0 && lostRequestTypes(node).length === 0)
        ctx.report({ before, after, message: `${node.name} now also accepts ${more.join(", ")}.` });
    },
    variants(node, ctx) {
      if (node.direction !== "input") return;
      for (const { label, index } of node.added)
        ctx.report({
          sub: `/${node.keyword}/${index}`,
          before: null,
          after: label,
          message: `${node.name} now also accepts the alternative ${label}.`,
        });
    },
  },
  cases: [
    {
      when: "when a request schema becomes anyOf itself or another variant, then it is not breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody({
        anyOf: [object({ a: { type: "string" } }), object({ b: { type: "integer" } }, ["b"])],
      }),
      expect: ["request-type-widened"],
    },
    {
      when: "when a query parameter of type [string, number] becomes an array of strings, then old values still pass",
      before: withParameters([parameter("tag", "query", { type: ["string", "number"] })]),
      after: withParameters([
        parameter("tag", "query", { type: "array", items: { type: "string" } }),
      ]),
      expect: [],
    },
    {
      when: "when a request field goes from integer to number, then it is not breaking",
      before: requestBody(object({ a: { type: "integer" } })),
      after: requestBody(object({ a: { type: "number" } })),
      expect: ["request-type-widened"],
    },
  ],
};
