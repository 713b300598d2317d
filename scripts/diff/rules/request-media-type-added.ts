import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-media-type-added",
  breaking: false,
  category: "addition",
  summary: "Request bodies of another media type are now accepted.",
  cases: [
    {
      when: "when a media type is added to a request, then it is not breaking",
      before: operation({
        requestBody: {
          required: true,
          content: { "application/json": { schema: { type: "object" } } },
        },
        responses: { "200": { description: "ok" } },
      }),
      after: operation({
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { type: "object" } },
            "application/merge-patch+json": { schema: { type: "object" } },
          },
        },
        responses: { "200": { description: "ok" } },
      }),
      expect: ["request-media-type-added"],
    },
  ],
};
