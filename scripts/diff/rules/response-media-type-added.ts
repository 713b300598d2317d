import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-media-type-added",
  breaking: false,
  category: "addition",
  summary: "A response may now come in another media type.",
  visit: {
    content(node, ctx) {
      const ours = node.of === "requestBody" ? node.webhook : !node.webhook;
      if (!ours) return;
      for (const mt of node.added)
        ctx.report({
          pointers: { base: null },
          pointer: node.at(mt),
          before: null,
          after: mt,
          message:
            node.of === "requestBody"
              ? `The payload may now be sent as ${mt}.`
              : `The ${node.status} response may now be ${mt}.`,
        });
    },
  },
  cases: [
    {
      when: "when a response media type is added, then it is not breaking",
      before: operation(
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
      after: operation(
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
      expect: ["response-media-type-added"],
    },
  ],
};
