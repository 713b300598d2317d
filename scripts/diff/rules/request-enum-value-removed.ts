import { enumDelta, enumValues } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, parameter, requestBody, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-enum-value-removed",
  breaking: true,
  category: "tightening",
  summary: "A value a client could send is no longer accepted.",
  visit: {
    value(node, ctx) {
      const d = enumDelta(node);
      if (node.direction !== "input" || d === undefined || d.removed.length === 0) return;
      ctx.report({
        sub: "/enum",
        before: enumValues(d.removed),
        after: null,
        message: `${node.name} no longer accepts ${d.removed.join(", ")}.`,
      });
    },
  },
  cases: [
    {
      when: "when a request enum loses a value, then it is breaking",
      before: requestBody(object({ a: { type: "string", enum: ["x", "y"] } })),
      after: requestBody(object({ a: { type: "string", enum: ["x"] } })),
      expect: ["request-enum-value-removed"],
    },
    {
      when: "when a query enum loses a value, then it is breaking",
      before: withParameters([
        parameter("status", "query", { type: "string", enum: ["draft", "sold"] }),
      ]),
      after: withParameters([parameter("status", "query", { type: "string", enum: ["draft"] })]),
      expect: ["request-enum-value-removed"],
    },
  ],
};
