/**
 * Version changes a maintainer could get wrong after `wth changes scaffold` (see next-version.ts
 * for the right ones). Each replaces one file of the new version's changes for a `wth check` or
 * `wth release` run in the proving test, which must then fail and say where.
 */

/** The scaffolded files these replace, by change id (the file is `<id>.ts`). */
export const AMOUNT_CHANGE = "order-amount-renamed-to-total-amount";
export const TRACKING_CHANGE = "order-shipping-tracking-number-renamed-to-tracking-code";
export const ENUM_CHANGE = "listing-condition-fair-changed";

/**
 * Backwards: the response converter renames `amount` to `total_amount`, old → new, where going
 * down to 2026-05-07 needs new → old. Its `answers` look complete, so only the proof can tell.
 */
export const BACKWARDS_AMOUNT = `import { defineVersionChange } from "../../change.ts";
import { renameField } from "../../fields.ts";

export const change = defineVersionChange({
  id: "${AMOUNT_CHANGE}",
  description: "Order \`amount\` is renamed \`total_amount\`.",
  migration: "Read and send \`total_amount\` where you used \`amount\`.",
  answers: ["response-property-renamed:Order.amount"],
  response: { Order: (order) => renameField(order, "amount", "total_amount") },
});
`;

/** Right direction, but keyed by "OrderShiping": a schema that no document has. */
export const MISSPELLED_TRACKING = `import { defineVersionChange } from "../../change.ts";
import { renameField } from "../../fields.ts";

export const change = defineVersionChange({
  id: "${TRACKING_CHANGE}",
  description: "OrderShipping \`tracking_number\` is renamed \`tracking_code\`.",
  migration: "Read and send \`tracking_code\` where you used \`tracking_number\`.",
  answers: ["response-property-renamed:OrderShipping.tracking_number"],
  response: {
    OrderShiping: (shipping) => renameField(shipping, "tracking_code", "tracking_number"),
  },
});
`;

/**
 * The enum split "covered" by listing its findings in `answers`, with a converter that maps
 * nothing: old pins would still receive `needs_service` and `for_parts`.
 */
export const ENUM_ANSWERED_ONLY = `import { defineVersionChange } from "../../change.ts";

export const change = defineVersionChange({
  id: "${ENUM_CHANGE}",
  description: "ListingCondition \`fair\` becomes \`needs_service\` or \`for_parts\`.",
  migration: "Send and accept \`needs_service\` and \`for_parts\` instead of \`fair\`.",
  answers: [
    "response-enum-value-added:ListingCondition",
    "request-enum-value-removed:ListingCondition",
  ],
  response: { Listing: (listing) => listing },
});
`;
