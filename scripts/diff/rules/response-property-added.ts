import type { Rule } from "../types.ts";
import { object, responseBody, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-added",
  breaking: false,
  category: "addition",
  summary: "A new response field; clients ignore fields they do not know.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "output") return;
      for (const k of node.added)
        ctx.report({
          pointers: { base: null },
          pointer: node.at(k),
          before: null,
          after: k,
          message: `New field ${k}.`,
        });
    },
  },
  cases: [
    {
      when: "when a response field is added, then it is not breaking",
      before: responseBody(object({ a: { type: "string" } }, ["a"])),
      after: responseBody(object({ a: { type: "string" }, b: { type: "integer" } }, ["a", "b"])),
      expect: ["response-property-added"],
    },
    {
      when: "when a webhook payload gains a field, then it is not breaking",
      before: webhook("thing.created", object({ a: { type: "string" } }, ["a"])),
      after: webhook(
        "thing.created",
        object({ a: { type: "string" }, b: { type: "integer" } }, ["a"]),
      ),
      expect: ["response-property-added"],
    },
  ],
};
