import { codeChanges, reportCodeChange } from "../error-catalogue.ts";
import type { Rule } from "../types.ts";
import { errorCodes } from "./fixtures.ts";

export const rule: Rule = {
  id: "error-code-added",
  breaking: false,
  category: "addition",
  summary: "A new error code.",
  visit: {
    errorCodes(node, ctx) {
      for (const c of codeChanges(node))
        if (c.kind === "added")
          reportCodeChange(
            c,
            (r) => ctx.report(r),
            (where) => `New error code ${c.code}${where}.`,
          );
    },
  },
  cases: [
    {
      when: "when an error code is added, then it is not breaking",
      before: errorCodes(["resource_not_found"]),
      after: errorCodes(["resource_not_found", "listing_sold"]),
      expect: ["error-code-added"],
    },
    {
      when: "when a value leaves another response enum of the same document, then only that is reported, as not breaking",
      before: errorCodes(["resource_not_found"], ["a", "b"]),
      after: errorCodes(["resource_not_found"], ["a"]),
      expect: ["response-enum-value-removed"],
    },
  ],
};
