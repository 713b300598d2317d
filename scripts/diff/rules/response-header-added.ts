import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-header-added",
  breaking: false,
  category: "addition",
  summary: "A new response header.",
  cases: [
    {
      when: "when a response header is added, then it is not breaking",
      before: operation({ responses: { "200": { description: "ok" } } }),
      after: operation({
        responses: {
          "200": { description: "ok", headers: { "Request-Id": { schema: { type: "string" } } } },
        },
      }),
      expect: ["response-header-added"],
    },
  ],
};
