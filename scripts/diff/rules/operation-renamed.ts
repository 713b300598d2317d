import type { Rule } from "../types.ts";
import { operation, parameter } from "./fixtures.ts";

export const rule: Rule = {
  id: "operation-renamed",
  breaking: true,
  category: "rename",
  summary:
    "A path changed while the operation stayed the same: most likely a rename, which breaks every caller.",
  cases: [
    {
      when: "when a path is renamed and the operation is otherwise the same, then one rename is reported",
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
          parameters: [parameter("q", "query", { type: "string" })],
          responses: { "200": { description: "ok" } },
        },
        "/v1/items",
        "get",
      ),
      expect: ["operation-renamed"],
    },
  ],
};
