import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-media-type-removed",
  breaking: true,
  category: "tightening",
  summary: "Request bodies of a media type are no longer accepted.",
  cases: [
    {
      when: "when form bodies are no longer accepted, then it is breaking",
      before: operation({
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { type: "object" } },
            "application/x-www-form-urlencoded": { schema: { type: "object" } },
          },
        },
        responses: { "200": { description: "ok" } },
      }),
      after: operation({
        requestBody: {
          required: true,
          content: { "application/json": { schema: { type: "object" } } },
        },
        responses: { "200": { description: "ok" } },
      }),
      expect: ["request-media-type-removed"],
    },
  ],
};
