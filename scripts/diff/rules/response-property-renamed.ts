import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-renamed",
  breaking: true,
  category: "rename",
  summary: "A response field was removed and one with the same schema added: most likely a rename.",
  cases: [
    {
      when: "when a response field is renamed, then one rename is reported",
      before: responseBody(
        object({ created: { type: "string", format: "date-time" } }, ["created"]),
      ),
      after: responseBody(
        object({ created_at: { type: "string", format: "date-time" } }, ["created_at"]),
      ),
      expect: ["response-property-renamed"],
    },
  ],
};
