import type { Rule } from "../types.ts";
import { object, parameter, requestBody, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-default-changed",
  breaking: true,
  category: "default",
  summary: "A request that omits the field now means something else.",
  visit: {
    value(node, ctx) {
      const { base: b, revision: a } = node;
      if (node.direction !== "input") return;
      const bd = b.hasDefault ? JSON.stringify(b.default) : undefined;
      const ad = a.hasDefault ? JSON.stringify(a.default) : undefined;
      if (bd === ad) return;
      ctx.report({
        sub: "/default",
        before: b.hasDefault ? b.default : null,
        after: a.hasDefault ? a.default : null,
        message: `${node.name} default changed from ${bd ?? "none"} to ${ad ?? "none"}: a request that omits it now means something else.`,
      });
    },
  },
  cases: [
    {
      when: "when a request default changes, then it is breaking",
      before: requestBody(object({ box: { type: "boolean", default: false } })),
      after: requestBody(object({ box: { type: "boolean", default: true } })),
      expect: ["request-default-changed"],
    },
    {
      when: "when a query default is removed, then it is breaking",
      before: withParameters([parameter("expand", "query", { type: "boolean", default: false })]),
      after: withParameters([parameter("expand", "query", { type: "boolean" })]),
      expect: ["request-default-changed"],
    },
  ],
};
