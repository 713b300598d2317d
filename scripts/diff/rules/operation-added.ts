import { pairOperations } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { document, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "operation-added",
  breaking: false,
  category: "addition",
  summary: "A new endpoint or method.",
  visit: {
    operations(node, ctx) {
      for (const e of pairOperations(node).added)
        ctx.report({
          pointers: { base: null },
          scope: { operation: e.label },
          pointer: e.pointer,
          before: null,
          after: e.label,
          message: `New operation ${e.label}${e.op.operationId ? ` (${e.op.operationId})` : ""}.`,
        });
    },
  },
  cases: [
    {
      when: "when an endpoint is added, then it is reported as an addition",
      before: document(),
      after: withParameters([]),
      expect: ["operation-added"],
    },
  ],
};
