import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-media-type-removed",
  breaking: true,
  category: "removal",
  summary: "A response (or webhook payload) media type is no longer sent.",
  cases: [
    {
      when: "when a response media type is removed, then it is breaking",
      before: operation(
        {
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": { schema: { type: "object" } },
                "text/csv": { schema: { type: "string" } },
              },
            },
          },
        },
        "/v1/things",
        "get",
      ),
      after: operation(
        {
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { type: "object" } } },
            },
          },
        },
        "/v1/things",
        "get",
      ),
      expect: ["response-media-type-removed"],
    },
  ],
};
