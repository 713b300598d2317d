import type { Rule } from "../types.ts";
import { document } from "./fixtures.ts";

const withHeader = (required: boolean) =>
  document({
    paths: {
      "/v1/things": {
        get: {
          operationId: "listThings",
          responses: {
            "200": {
              description: "ok",
              headers: { "Request-Id": { required, schema: { type: "string" } } },
              content: { "application/json": { schema: { type: "object" } } },
            },
          },
        },
      },
    },
  });

export const rule: Rule = {
  id: "response-header-made-optional",
  breaking: true,
  category: "guarantee",
  summary: "A response header that was always sent (required) may now be absent.",
  visit: {
    header(node, ctx) {
      if (!node.webhook && node.base.h.required === true && node.revision.h.required !== true)
        ctx.report({
          sub: "/required",
          before: true,
          after: false,
          message: `Response header ${node.revision.name} may now be absent.`,
        });
    },
  },
  cases: [
    {
      when: "when a required response header is made optional, then it is breaking",
      before: withHeader(true),
      after: withHeader(false),
      expect: ["response-header-made-optional"],
    },
    {
      when: "when an optional response header is made required, then nothing breaks",
      before: withHeader(false),
      after: withHeader(true),
      expect: [],
    },
  ],
};
