import { codeChanges, reportCodeChange } from "../error-catalogue.ts";
import type { Rule } from "../types.ts";
import { errorCodes } from "./fixtures.ts";

export const rule: Rule = {
  id: "error-code-removed",
  breaking: true,
  category: "removal",
  summary:
    "A code is gone from an operation's error response (the string enum at code, error.code, error_code, errors[].code or x-error-code-property), compared per operation and status.",
  visit: {
    errorCodes(node, ctx) {
      for (const c of codeChanges(node))
        if (c.kind === "removed")
          reportCodeChange(
            c,
            (r) => ctx.report(r),
            (where) =>
              `Error code ${c.code} was removed${where}; clients that handle it will never see it again, and may see an unknown code instead.`,
          );
    },
  },
  cases: [
    {
      when: "when an error code is removed, then it is breaking",
      before: errorCodes(["resource_not_found", "listing_sold"]),
      after: errorCodes(["resource_not_found"]),
      expect: ["error-code-removed"],
    },
    {
      when: "when a code is removed from a flat `code` enum, then it is breaking",
      before: errorCodes(["not_found", "gone"], undefined, {}, "code"),
      after: errorCodes(["not_found"], undefined, {}, "code"),
      expect: ["error-code-removed"],
    },
    {
      when: "when a code is removed from `error_code`, then it is breaking",
      before: errorCodes(["not_found", "gone"], undefined, {}, "error_code"),
      after: errorCodes(["not_found"], undefined, {}, "error_code"),
      expect: ["error-code-removed"],
    },
    {
      when: "when a code is removed from `errors[].code`, then it is breaking",
      before: errorCodes(["not_found", "gone"], undefined, {}, "errors[].code"),
      after: errorCodes(["not_found"], undefined, {}, "errors[].code"),
      expect: ["error-code-removed"],
    },
    {
      when: "when a code is removed at the property x-error-code-property names, then it is breaking",
      before: errorCodes(
        ["not_found", "gone"],
        undefined,
        {},
        "detail.kind",
        {},
        {
          "x-error-code-property": "detail.kind",
        },
      ),
      after: errorCodes(
        ["not_found"],
        undefined,
        {},
        "detail.kind",
        {},
        {
          "x-error-code-property": "detail.kind",
        },
      ),
      expect: ["error-code-removed"],
    },
    {
      when: "when one operation drops a code another operation still lists, then it is breaking for that operation",
      before: errorCodes(["not_found", "gone"], undefined, {}, "error.code", {
        "/v1/others": ["not_found", "gone"],
      }),
      after: errorCodes(["not_found"], undefined, {}, "error.code", {
        "/v1/others": ["not_found", "gone"],
      }),
      expect: ["error-code-removed"],
    },
  ],
};
