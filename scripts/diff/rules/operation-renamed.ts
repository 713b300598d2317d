import { pairOperations } from "../rename-evidence.ts";
import type { Rule } from "../types.ts";
import { operation, parameter } from "./fixtures.ts";

export const rule: Rule = {
  id: "operation-renamed",
  breaking: true,
  category: "rename",
  summary:
    "A path changed while the operation stayed the same: most likely a rename, which breaks every caller.",
  visit: {
    operations(node, ctx) {
      for (const [e, to] of pairOperations(node).renamed)
        ctx.report({
          scope: { operation: to.label },
          pointer: to.pointer,
          pointers: { base: e.pointer, revision: to.pointer },
          before: e.label,
          after: to.label,
          message: `${e.label} was renamed to ${to.label}; calls to the old path now fail.`,
        });
    },
  },
  cases: [
    {
      when: "when a path is renamed and x-renamed-from names the old operation, then one rename is reported",
      before: operation(
        {
          parameters: [parameter("q", "query", { type: "string" })],
          responses: { "200": { description: "ok" } },
        },
        "/v1/things",
        "get",
      ),
      after: operation(
        {
          "x-renamed-from": "GET /v1/things",
          parameters: [parameter("q", "query", { type: "string" })],
          responses: { "200": { description: "ok" } },
        },
        "/v1/items",
        "get",
      ),
      expect: ["operation-renamed"],
    },
    {
      when: "when a path changes but the operationId stays, then one rename is reported",
      before: operation(
        { operationId: "deleteSecret", responses: { "204": { description: "gone" } } },
        "/v1/secrets/{id}",
        "delete",
      ),
      after: operation(
        { operationId: "deleteSecret", responses: { "204": { description: "gone" } } },
        "/v1/vault/secrets/{id}",
        "delete",
      ),
      expect: ["operation-renamed"],
    },
    {
      when: "when two unrelated DELETE operations look alike (the discussions/secrets example), then it is a removal and an addition",
      before: operation(
        { responses: { "204": { description: "gone" } } },
        "/orgs/{org}/teams/{team_slug}/discussions/{discussion_number}",
        "delete",
      ),
      after: operation(
        { responses: { "204": { description: "gone" } } },
        "/orgs/{org}/agents/secrets/{secret_name}/repositories/{repository_id}",
        "delete",
      ),
      expect: ["operation-removed", "operation-added"],
    },
  ],
};
