import type { Rule } from "../types.ts";
import { document } from "./fixtures.ts";

export const rule: Rule = {
  id: "webhook-signature-changed",
  breaking: true,
  category: "signing",
  summary: "Anything in x-webhook-signature changed: receivers' verification breaks.",
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
