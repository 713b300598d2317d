import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "error-response-removed",
  breaking: false,
  category: "relaxation",
  summary: "A documented error status is no longer described.",
  cases: [
    {
      when: "when a documented 409 is removed, then it is not breaking",
      before: operation({
        responses: { "200": { description: "ok" }, "409": { description: "conflict" } },
      }),
      after: operation({ responses: { "200": { description: "ok" } } }),
      expect: ["error-response-removed"],
    },
  ],
};
