import { enumDelta, enumValues } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-enum-added",
  breaking: true,
  category: "tightening",
  summary: "A free request field is now limited to a set of values.",
  visit: {
    value(node, ctx) {
      const d = enumDelta(node);
      if (node.direction !== "input" || d === undefined) return;
      if (d.before === undefined && d.after !== undefined)
        ctx.report({
          pointers: { base: null },
          sub: "/enum",
          before: null,
          after: enumValues([...d.after]),
          message: `${node.name} now only accepts ${[...d.after].join(", ")}.`,
        });
    },
  },
  cases: [
    {
      when: "when a free request field becomes an enum, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string", enum: ["x", "y"] } })),
      expect: ["request-enum-added"],
    },
  ],
};
