import { pairHeaders, pairParameters } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { operation, parameter, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-header-renamed",
  breaking: true,
  category: "rename",
  summary:
    "A response header was removed and one with the same format added: most likely a rename.",
  visit: {
    parameters(node, ctx) {
      if (!node.webhook) return;
      for (const [p, to] of pairParameters(node).renamed)
        if (p.where === "header")
          ctx.report({
            pointer: node.at(to),
            pointers: { base: node.at(p) },
            before: p.name,
            after: to.name,
            message: `Header ${p.name} was renamed to ${to.name} (same format).`,
          });
    },
    headers(node, ctx) {
      for (const [{ name }, to] of pairHeaders(node).renamed)
        ctx.report({
          pointer: node.at(to.name),
          pointers: { base: node.at(name) },
          before: name,
          after: to.name,
          message: `Response header ${name} was renamed to ${to.name} (same format).`,
        });
    },
  },
  cases: [
    {
      when: "when a response header is renamed, then one rename is reported",
      before: operation({
        responses: {
          "200": {
            description: "ok",
            headers: { "Request-Id": { schema: { type: "string", pattern: "^req_" } } },
          },
        },
      }),
      after: operation({
        responses: {
          "200": {
            description: "ok",
            headers: {
              "X-Request-Id": {
                "x-renamed-from": "Request-Id",
                schema: { type: "string", pattern: "^req_" },
              },
            },
          },
        },
      }),
      expect: ["response-header-renamed"],
    },
    {
      when: "when a webhook header is renamed, then one rename is reported",
      before: webhook(
        "thing.created",
        { type: "object" },
        {
          parameters: [
            parameter("webhook-id", "header", { type: "string", pattern: "^evt_" }, true),
          ],
        },
      ),
      after: webhook(
        "thing.created",
        { type: "object" },
        {
          parameters: [
            {
              ...parameter(
                "webhook-message-id",
                "header",
                { type: "string", pattern: "^evt_" },
                true,
              ),
              "x-renamed-from": "webhook-id",
            },
          ],
        },
      ),
      expect: ["response-header-renamed"],
    },
  ],
};
