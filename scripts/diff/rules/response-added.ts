import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-added",
  breaking: false,
  category: "addition",
  summary: "A newly documented response status.",
  cases: [
    {
      when: "when a 429 response is documented, then it is not breaking",
      before: operation({ responses: { "200": { description: "ok" } } }),
      after: operation({
        responses: { "200": { description: "ok" }, "429": { description: "slow down" } },
      }),
      expect: ["response-added"],
    },
  ],
};
