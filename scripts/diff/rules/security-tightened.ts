import { securityChange } from "../security.ts";
import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "security-tightened",
  breaking: true,
  category: "security",
  summary: "Credentials that were enough before may be refused now.",
  visit: {
    security(node, ctx) {
      const change = securityChange(node);
      if (change.tightened)
        ctx.report({
          sub: "/security",
          before: change.before,
          after: change.after,
          message:
            "Authentication requirements were tightened: credentials that worked before may be refused.",
        });
    },
  },
  cases: [
    {
      when: "when a public operation starts to require a bearer token, then it is breaking",
      before: operation(
        { security: [], responses: { "200": { description: "ok" } } },
        "/v1/things",
        "get",
        { components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } } },
      ),
      after: operation(
        { security: [{ bearerAuth: [] }], responses: { "200": { description: "ok" } } },
        "/v1/things",
        "get",
        { components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } } },
      ),
      expect: ["security-tightened"],
    },
    {
      when: "when one of two accepted schemes is dropped, then it is breaking",
      before: operation(
        {
          security: [{ bearerAuth: [] }, { apiKey: [] }],
          responses: { "200": { description: "ok" } },
        },
        "/v1/things",
        "get",
        {
          components: {
            securitySchemes: {
              bearerAuth: { type: "http", scheme: "bearer" },
              apiKey: { type: "apiKey", in: "header", name: "X-Key" },
            },
          },
        },
      ),
      after: operation(
        { security: [{ bearerAuth: [] }], responses: { "200": { description: "ok" } } },
        "/v1/things",
        "get",
        {
          components: {
            securitySchemes: {
              bearerAuth: { type: "http", scheme: "bearer" },
              apiKey: { type: "apiKey", in: "header", name: "X-Key" },
            },
          },
        },
      ),
      expect: ["security-tightened"],
    },
  ],
};
