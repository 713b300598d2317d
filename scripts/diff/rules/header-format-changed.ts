import { formatChange } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { operation, parameter, webhook, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "header-format-changed",
  breaking: true,
  category: "header-format",
  summary: "The format of a documented header changed (type, pattern, format, enum or bounds).",
  visit: {
    formatted(node, ctx) {
      if (node.role !== "header") return;
      const { before, after, how } = formatChange(node);
      ctx.report({ before, after, message: `The format of header ${node.name} changed: ${how}.` });
    },
  },
  cases: [
    {
      when: "when a response header's pattern changes, then it is breaking",
      before: operation({
        responses: {
          "200": {
            description: "ok",
            headers: {
              "X-API-Version": { schema: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" } },
            },
          },
        },
      }),
      after: operation({
        responses: {
          "200": {
            description: "ok",
            headers: { "X-API-Version": { schema: { type: "string", pattern: "^\\d{8}$" } } },
          },
        },
      }),
      expect: ["header-format-changed"],
    },
    {
      when: "when a request header's maximum length is raised, then it is still breaking (headers are formats)",
      before: withParameters([
        parameter("Idempotency-Key", "header", { type: "string", maxLength: 255 }),
      ]),
      after: withParameters([
        parameter("Idempotency-Key", "header", { type: "string", maxLength: 300 }),
      ]),
      expect: ["header-format-changed"],
    },
    {
      when: "when a webhook header's format changes, then it is breaking",
      before: webhook(
        "thing.created",
        { type: "object" },
        {
          parameters: [
            parameter("webhook-timestamp", "header", { type: "string", pattern: "^\\d+$" }, true),
          ],
        },
      ),
      after: webhook(
        "thing.created",
        { type: "object" },
        {
          parameters: [
            parameter("webhook-timestamp", "header", { type: "string", format: "date-time" }, true),
          ],
        },
      ),
      expect: ["header-format-changed"],
    },
  ],
};
