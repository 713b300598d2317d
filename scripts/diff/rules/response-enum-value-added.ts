import { enumDelta, enumValues } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-enum-value-added",
  breaking: true,
  category: "guarantee",
  summary:
    "A response enum (or const) may carry a value it never carried: a client that switches over the documented values meets one it does not know.",
  visit: {
    value(node, ctx) {
      const d = enumDelta(node);
      if (node.direction !== "output" || d === undefined || d.added.length === 0) return;
      ctx.report({
        sub: "/enum",
        before: null,
        after: enumValues(d.added),
        message: `${node.name} may now be ${d.added.join(", ")}, which clients have never seen.`,
      });
    },
  },
  cases: [
    {
      when: "when a response enum gains a value, then it is breaking",
      before: responseBody(object({ s: { type: "string", enum: ["a"] } }, ["s"])),
      after: responseBody(object({ s: { type: "string", enum: ["a", "b"] } }, ["s"])),
      expect: ["response-enum-value-added"],
    },
    {
      when: "when a response const changes, then the new value is breaking and the old one's loss is not",
      before: responseBody(object({ object: { const: "listing" } }, ["object"])),
      after: responseBody(object({ object: { const: "item" } }, ["object"])),
      expect: ["response-enum-value-added", "response-enum-value-removed"],
    },
  ],
};
