import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-body-made-required",
  breaking: true,
  category: "tightening",
  summary: "A request body must now be sent.",
  cases: [
    {
      when: "when an optional request body becomes required, then it is breaking",
      before: operation({
        requestBody: { content: { "application/json": { schema: { type: "object" } } } },
        responses: { "200": { description: "ok" } },
      }),
      after: operation({
        requestBody: {
          required: true,
          content: { "application/json": { schema: { type: "object" } } },
        },
        responses: { "200": { description: "ok" } },
      }),
      expect: ["request-body-made-required"],
    },
  ],
};
