import type { Rule } from "../types.ts";
import { object, operation, responseBody, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "marked-deprecated",
  breaking: false,
  category: "deprecation",
  summary: "An operation, parameter or field is now marked deprecated; it still works.",
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
