import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-renamed",
  breaking: true,
  category: "rename",
  summary: "A response field was removed and one with the same schema added: most likely a rename.",
  cases: [
    {
      when: "when a response field is renamed with x-renamed-from, then one rename is reported",
      before: responseBody(
        object({ created: { type: "string", format: "date-time" } }, ["created"]),
      ),
      after: responseBody(
        object(
          { created_at: { type: "string", format: "date-time", "x-renamed-from": "created" } },
          ["created_at"],
        ),
      ),
      expect: ["response-property-renamed"],
    },
    {
      when: "when a field is replaced by an unrelated look-alike (team_discussions/code_quality), then it is a removal and an addition",
      before: responseBody(
        object({ team_discussions: { type: "string", enum: ["read", "write"] } }),
      ),
      after: responseBody(object({ code_quality: { type: "string", enum: ["read", "write"] } })),
      expect: ["response-property-removed", "response-property-added"],
    },
  ],
};
