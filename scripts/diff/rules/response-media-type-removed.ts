import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-media-type-removed",
  breaking: true,
  category: "removal",
  summary: "A response (or webhook payload) media type is no longer sent.",
  visit: {
    content(node, ctx) {
      // A webhook's payload is what we send: its media types are a response's.
      const ours = node.of === "requestBody" ? node.webhook : !node.webhook;
      if (!ours) return;
      for (const mt of node.removed)
        ctx.report({
          pointers: { revision: null },
          pointer: node.at(mt),
          before: mt,
          after: null,
          message:
            node.of === "requestBody"
              ? `The payload is no longer sent as ${mt}.`
              : `The ${node.status} response is no longer sent as ${mt}.`,
        });
    },
  },
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
