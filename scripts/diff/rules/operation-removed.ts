import { pairOperations } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { document, operation, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "operation-removed",
  breaking: true,
  category: "removal",
  summary: "An endpoint or one of its HTTP methods is gone; calls to it fail.",
  visit: {
    operations(node, ctx) {
      for (const e of pairOperations(node).removed)
        ctx.report({
          pointers: { revision: null },
          scope: { operation: e.label },
          pointer: e.pointer,
          before: e.label,
          after: null,
          message: `${e.label}${e.op.operationId ? ` (${e.op.operationId})` : ""} was removed.`,
        });
    },
  },
  cases: [
    {
      when: "when the only operation of a path is removed, then it is reported",
      before: withParameters([]),
      after: document(),
      expect: ["operation-removed"],
    },
    {
      when: "when one method of a path is removed, then only that method is reported",
      before: operation({ responses: { "200": { description: "ok" } } }, "/v1/things", "get", {
        paths: {
          "/v1/things": {
            get: { responses: { "200": { description: "ok" } } },
            delete: { responses: { "204": { description: "gone" } } },
          },
        },
      }),
      after: operation({ responses: { "200": { description: "ok" } } }, "/v1/things", "get"),
      expect: ["operation-removed"],
    },
  ],
};
