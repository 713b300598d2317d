import { escapePointer } from "../pointer.ts";
import { enumKeys } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, requestBody, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "enum-meaning-changed",
  breaking: true,
  category: "meaning",
  summary:
    "An enum value's x-enum-meanings entry changed: the same value now means something else.",
  visit: {
    value(node, ctx) {
      const bm = node.base.enumMeanings ?? {};
      const am = node.revision.enumMeanings ?? {};
      const stillAllowed = enumKeys(node.revision);
      for (const [value, meaning] of Object.entries(bm)) {
        const now = am[value];
        // A value no longer allowed is reported by the enum rules, not as a change of meaning.
        if (stillAllowed !== undefined && !stillAllowed.has(JSON.stringify(value))) continue;
        if (now !== meaning)
          ctx.report({
            sub: `/x-enum-meanings/${escapePointer(value)}`,
            before: { [value]: meaning },
            after: { [value]: now ?? null },
            message: `${node.name} value "${value}" changed meaning from "${meaning}" to "${now ?? "(none)"}".`,
          });
      }
    },
  },
  cases: [
    {
      when: "when a status value is repurposed, then it is breaking",
      before: responseBody(
        object(
          {
            status: {
              type: "string",
              enum: ["sold"],
              "x-enum-meanings": { sold: "reserved-by-an-order" },
            },
          },
          ["status"],
        ),
      ),
      after: responseBody(
        object(
          {
            status: {
              type: "string",
              enum: ["sold"],
              "x-enum-meanings": { sold: "payment-captured" },
            },
          },
          ["status"],
        ),
      ),
      expect: ["enum-meaning-changed"],
    },
    {
      when: "when a request enum value is repurposed, then it is breaking",
      before: requestBody(
        object({
          condition: {
            type: "string",
            enum: ["fair"],
            "x-enum-meanings": { fair: "needs-service" },
          },
        }),
      ),
      after: requestBody(
        object({
          condition: {
            type: "string",
            enum: ["fair"],
            "x-enum-meanings": { fair: "light-signs-of-wear" },
          },
        }),
      ),
      expect: ["enum-meaning-changed"],
    },
  ],
};
