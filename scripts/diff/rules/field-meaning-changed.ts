import type { Rule } from "../types.ts";
import { object, requestBody, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "field-meaning-changed",
  breaking: true,
  category: "meaning",
  summary: "A field's x-meaning changed or was dropped: the same number now means something else.",
  visit: {
    value(node, ctx) {
      const { base: b, revision: a } = node;
      if (b.meaning === a.meaning || b.meaning === undefined) return;
      ctx.report({
        sub: "/x-meaning",
        before: b.meaning,
        after: a.meaning ?? null,
        message: `The meaning of ${node.name} changed from "${b.meaning}" to "${a.meaning ?? "(none)"}".`,
      });
    },
  },
  cases: [
    {
      when: "when a price switches from minor to major units, then it is breaking",
      before: responseBody(
        object({ price: { type: "integer", "x-meaning": "amount-in-minor-units-of-currency" } }, [
          "price",
        ]),
      ),
      after: responseBody(
        object({ price: { type: "integer", "x-meaning": "amount-in-major-units-of-currency" } }, [
          "price",
        ]),
      ),
      expect: ["field-meaning-changed"],
    },
    {
      when: "when a request field's x-meaning is dropped, then it is breaking",
      before: requestBody(
        object({ price: { type: "integer", "x-meaning": "amount-in-minor-units-of-currency" } }),
      ),
      after: requestBody(object({ price: { type: "integer" } })),
      expect: ["field-meaning-changed"],
    },
  ],
};
