import { pairHeaders, pairParameters } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { operation, parameter, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-header-removed",
  breaking: true,
  category: "removal",
  summary: "A documented response header (or webhook header) is no longer sent.",
  visit: {
    parameters(node, ctx) {
      // A webhook's header parameters are headers we send.
      if (!node.webhook) return;
      for (const p of pairParameters(node).removed)
        if (p.where === "header")
          ctx.report({
            pointers: { revision: null },
            pointer: node.at(p),
            before: p.name,
            after: null,
            message: `Header ${p.name} is no longer sent.`,
          });
    },
    headers(node, ctx) {
      if (node.webhook) return;
      for (const { name } of pairHeaders(node).removed)
        ctx.report({
          pointers: { revision: null },
          pointer: node.at(name),
          before: name,
          after: null,
          message: `Response header ${name} is no longer sent.`,
        });
    },
  },
  cases: [
    {
      when: "when a response header is removed, then it is breaking",
      before: operation({
        responses: {
          "200": { description: "ok", headers: { "Request-Id": { schema: { type: "string" } } } },
        },
      }),
      after: operation({ responses: { "200": { description: "ok" } } }),
      expect: ["response-header-removed"],
    },
    {
      when: "when a webhook header is no longer sent, then it is breaking",
      before: webhook(
        "thing.created",
        { type: "object" },
        { parameters: [parameter("webhook-id", "header", { type: "string" }, true)] },
      ),
      after: webhook("thing.created", { type: "object" }),
      expect: ["response-header-removed"],
    },
  ],
};
