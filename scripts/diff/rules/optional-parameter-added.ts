import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "optional-parameter-added",
  breaking: false,
  category: "addition",
  summary: "A new optional parameter.",
  cases: [
    {
      when: "when an optional query parameter is added, then it is not breaking",
      before: withParameters([]),
      after: withParameters([parameter("brand", "query", { type: "string" })]),
      expect: ["optional-parameter-added"],
    },
  ],
};
