import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-body-made-required",
  breaking: true,
  category: "tightening",
  summary: "A request body must now be sent.",
  visit: {
    requestBody(node, ctx) {
      if (node.webhook) return;
      if (node.base?.required !== true && node.revision?.required === true)
        ctx.report({
          sub: "/required",
          before: node.base === undefined ? null : false,
          after: true,
          message: "A request body is now required.",
        });
    },
  },
  cases: [
    {
      when: "when an optional request body becomes required, then it is breaking",
      before: operation({
        requestBody: { content: { "application/json": { schema: { type: "object" } } } },
        responses: { "200": { description: "ok" } },
      }),
      after: operation({
        requestBody: {
          required: true,
          content: { "application/json": { schema: { type: "object" } } },
        },
        responses: { "200": { description: "ok" } },
      }),
      expect: ["request-body-made-required"],
    },
  ],
};
