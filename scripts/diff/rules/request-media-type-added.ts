import type { Rule } from "../types.ts";
import { operation } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-media-type-added",
  breaking: false,
  category: "addition",
  summary: "Request bodies of another media type are now accepted.",
  visit: {
    content(node, ctx) {
      const ours = node.of === "requestBody" ? !node.webhook : node.webhook;
      if (!ours) return;
      for (const mt of node.added)
        ctx.report({
          pointers: { base: null },
          pointer: node.at(mt),
          before: null,
          after: mt,
          message:
            node.of === "requestBody"
              ? `Request bodies in ${mt} are now accepted.`
              : `The ${node.status} response may now be ${mt}.`,
        });
    },
  },
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
