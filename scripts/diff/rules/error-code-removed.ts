import type { Rule } from "../types.ts";
import { errorCodes } from "./fixtures.ts";

export const rule: Rule = {
  id: "error-code-removed",
  breaking: true,
  category: "removal",
  summary:
    "A code is gone from the error-code registry (the enum of error.code in 4xx/5xx responses).",
  cases: [
    {
      when: "when an error code is removed, then it is breaking",
      before: errorCodes(["resource_not_found", "listing_sold"]),
      after: errorCodes(["resource_not_found"]),
      expect: ["error-code-removed"],
    },
  ],
};
