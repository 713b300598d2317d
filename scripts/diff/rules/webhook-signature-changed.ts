import { obj } from "../operations.ts";
import { escapePointer } from "../pointer.ts";
import type { Rule } from "../types.ts";
import { document } from "./fixtures.ts";

export const rule: Rule = {
  id: "webhook-signature-changed",
  breaking: true,
  category: "signing",
  summary: "Anything in x-webhook-signature changed: receivers' verification breaks.",
  visit: {
    document(node, ctx) {
      const key = "x-webhook-signature";
      // Described for the first time is documentation; anything changed after, a new signature.
      if (node.base[key] === undefined) return;
      const bo = obj(node.base[key]);
      const ao = obj(node.revision[key]);
      for (const k of [...new Set([...Object.keys(bo), ...Object.keys(ao)])]) {
        if (JSON.stringify(bo[k]) === JSON.stringify(ao[k])) continue;
        ctx.report({
          pointer: `/${key}/${escapePointer(k)}`,
          direction: "output",
          before: bo[k] ?? null,
          after: ao[k] ?? null,
          message: `The webhook signature's ${k} changed from ${JSON.stringify(bo[k] ?? null)} to ${JSON.stringify(ao[k] ?? null)}: receivers' verification breaks.`,
        });
      }
    },
  },
  cases: [
    {
      when: "when the signing algorithm changes, then it is breaking",
      before: document({
        "x-webhook-signature": {
          header: "webhook-signature",
          algorithm: "HMAC-SHA256",
          format: "v1,<base64>",
        },
      }),
      after: document({
        "x-webhook-signature": {
          header: "webhook-signature",
          algorithm: "HMAC-SHA512",
          format: "v1,<base64>",
        },
      }),
      expect: ["webhook-signature-changed"],
    },
    {
      when: "when the signed payload changes, then it is breaking",
      before: document({
        "x-webhook-signature": { signed_payload: "{webhook-id}.{webhook-timestamp}.{raw body}" },
      }),
      after: document({
        "x-webhook-signature": { signed_payload: "{webhook-timestamp}.{raw body}" },
      }),
      expect: ["webhook-signature-changed"],
    },
  ],
};
