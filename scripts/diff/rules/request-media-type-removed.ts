import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-media-type-removed",
  breaking: true,
  category: "tightening",
  summary: "Request bodies of a media type are no longer accepted.",
  visit: {
    content(node, ctx) {
      // A webhook's acknowledgement is what we read: its media types are a request's.
      const ours = node.of === "requestBody" ? !node.webhook : node.webhook;
      if (!ours) return;
      for (const mt of node.removed)
        ctx.report({
          pointers: { revision: null },
          pointer: node.at(mt),
          before: mt,
          after: null,
          message:
            node.of === "requestBody"
              ? `Request bodies in ${mt} are no longer accepted.`
              : `The ${node.status} response is no longer accepted as ${mt}.`,
        });
    },
  },
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
