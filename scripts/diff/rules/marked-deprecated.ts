import type { Rule } from "../types.ts";
import { object, operation, responseBody, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "marked-deprecated",
  breaking: false,
  category: "deprecation",
  summary: "An operation, parameter or field is now marked deprecated; it still works.",
  visit: {
    operation(node, ctx) {
      if (node.base.op.deprecated !== true && node.revision.op.deprecated === true)
        ctx.report({
          sub: "/deprecated",
          before: false,
          after: true,
          message: `${node.revision.label} is now deprecated.`,
        });
    },
    parameter(node, ctx) {
      if (!node.base.deprecated && node.revision.deprecated)
        ctx.report({
          before: false,
          after: true,
          message: `Parameter ${node.revision.name} is now deprecated.`,
        });
    },
    schema(node, ctx) {
      if (!node.base.deprecated && node.revision.deprecated)
        ctx.report({ before: false, after: true, message: `${node.name} is now deprecated.` });
    },
  },
  cases: [
    {
      when: "when an operation gains deprecated: true, then it is not breaking",
      before: withParameters([]),
      after: operation(
        {
          deprecated: true,
          parameters: [],
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
      expect: ["marked-deprecated"],
    },
    {
      when: "when a response field gains deprecated: true, then it is not breaking",
      before: responseBody(object({ a: { type: "string" } }, ["a"])),
      after: responseBody(object({ a: { type: "string", deprecated: true } }, ["a"])),
      expect: ["marked-deprecated"],
    },
  ],
};
