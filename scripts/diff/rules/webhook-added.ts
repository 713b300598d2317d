import type { Rule } from "../types.ts";
import { document, webhook } from "./fixtures.ts";

export const rule: Rule = {
  id: "webhook-added",
  breaking: false,
  category: "addition",
  summary: "A new event type.",
  cases: [
    {
      when: "when an event type is added, then it is not breaking",
      before: document(),
      after: webhook("thing.created", { type: "object" }),
      expect: ["webhook-added"],
    },
  ],
};
