import { NEXT_CURSOR_FIELDS } from "../pagination.ts";
import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-property-renamed",
  breaking: true,
  category: "rename",
  summary: "A response field was removed and one with the same schema added: most likely a rename.",
  visit: {
    properties(node, ctx) {
      if (node.direction !== "output") return;
      for (const k of node.removed) {
        const to = node.renames.get(k);
        // A list's next_cursor and has_more are the pagination rule's.
        if (to === undefined || (node.direction === "output" && NEXT_CURSOR_FIELDS.has(k)))
          continue;
        ctx.report({
          pointer: node.at(k),
          pointers: { revision: node.at(to) },
          before: k,
          after: to,
          message: `Field ${k} was renamed to ${to}${node.revision.properties.get(to)?.renamedFrom === k ? " (x-renamed-from)" : " (same schema)"}.`,
        });
      }
    },
  },
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
