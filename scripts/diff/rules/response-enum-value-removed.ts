import { enumDelta, enumValues } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-enum-value-removed",
  breaking: false,
  category: "relaxation",
  summary: "A response enum value will no longer be sent (not the error-code registry).",
  visit: {
    value(node, ctx) {
      const d = enumDelta(node);
      if (node.direction !== "output" || d === undefined || d.removed.length === 0) return;
      ctx.report({
        sub: "/enum",
        before: enumValues(d.removed),
        after: null,
        message: `${node.name} is no longer returned as ${d.removed.join(", ")}.`,
      });
    },
  },
  cases: [
    {
      when: "when a response enum loses a value, then it is not breaking",
      before: responseBody(object({ s: { type: "string", enum: ["a", "b"] } }, ["s"])),
      after: responseBody(object({ s: { type: "string", enum: ["a"] } }, ["s"])),
      expect: ["response-enum-value-removed"],
    },
  ],
};
