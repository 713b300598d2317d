import { securityChange } from "../security.ts";
import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "security-relaxed",
  breaking: false,
  category: "relaxation",
  summary: "Fewer or weaker credentials are needed.",
  visit: {
    security(node, ctx) {
      const change = securityChange(node);
      if (!change.tightened && change.loosened)
        ctx.report({
          sub: "/security",
          before: change.before,
          after: change.after,
          message: "Authentication requirements were relaxed.",
        });
    },
  },
  cases: [
    {
      when: "when an operation stops requiring authentication, then it is not breaking",
      before: operation(
        { security: [{ bearerAuth: [] }], responses: { "200": { description: "ok" } } },
        "/v1/things",
        "get",
        { components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } } },
      ),
      after: operation(
        { security: [], responses: { "200": { description: "ok" } } },
        "/v1/things",
        "get",
        { components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } } },
      ),
      expect: ["security-relaxed"],
    },
  ],
};
