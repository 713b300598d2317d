import type { Rule } from "../types.ts";
import { document, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "operation-added",
  breaking: false,
  category: "addition",
  summary: "A new endpoint or method.",
  cases: [
    {
      when: "when an endpoint is added, then it is reported as an addition",
      before: document(),
      after: withParameters([]),
      expect: ["operation-added"],
    },
  ],
};
