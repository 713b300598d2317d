import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-property-renamed",
  breaking: true,
  category: "rename",
  summary: "A request field was removed and one with the same schema added: most likely a rename.",
  cases: [
    {
      when: "when a request field is renamed with x-renamed-from, then one rename is reported",
      before: requestBody(object({ ref: { type: "string", maxLength: 50 } })),
      after: requestBody(
        object({ reference: { type: "string", maxLength: 50, "x-renamed-from": "ref" } }),
      ),
      expect: ["request-property-renamed"],
    },
  ],
};
