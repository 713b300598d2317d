import { codeChanges, reportCodeChange } from "../error-catalogue.ts";
import type { Rule } from "../types.ts";
import { errorCodes } from "./fixtures.ts";

export const rule: Rule = {
  id: "error-code-renamed",
  breaking: true,
  category: "rename",
  summary:
    "An error code of an operation's error response was replaced by another with the same documented meaning: one rename, breaking for clients that match on the old code.",
  visit: {
    errorCodes(node, ctx) {
      for (const c of codeChanges(node))
        if (c.kind === "renamed")
          reportCodeChange(
            c,
            (r) => ctx.report(r),
            (where) =>
              `Error code ${c.code} was renamed to ${c.to}${where} (same meaning: "${c.meaning}"); clients that handle ${c.code} will not recognise it.`,
          );
    },
  },
  cases: [
    {
      when: "when an error code is replaced by one with the same meaning, then it is one breaking rename",
      before: errorCodes(["resource_not_found", "listing_sold"], undefined, {
        "x-enum-meanings": { listing_sold: "listing-unavailable" },
      }),
      after: errorCodes(["resource_not_found", "listing_unavailable"], undefined, {
        "x-enum-meanings": { listing_unavailable: "listing-unavailable" },
      }),
      expect: ["error-code-renamed"],
    },
    {
      when: "when an error code is replaced by one with another meaning, then it is a removal and an addition",
      before: errorCodes(["resource_not_found", "listing_sold"], undefined, {
        "x-enum-meanings": { listing_sold: "listing-unavailable" },
      }),
      after: errorCodes(["resource_not_found", "listing_reserved"], undefined, {
        "x-enum-meanings": { listing_reserved: "listing-on-hold" },
      }),
      expect: ["error-code-removed", "error-code-added"],
    },
  ],
};
