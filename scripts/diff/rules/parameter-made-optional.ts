import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "parameter-made-optional",
  breaking: false,
  category: "relaxation",
  summary: "A required parameter may now be omitted.",
  cases: [
    {
      when: "when a required parameter becomes optional, then it is not breaking",
      before: withParameters([parameter("brand", "query", { type: "string" }, true)]),
      after: withParameters([parameter("brand", "query", { type: "string" })]),
      expect: ["parameter-made-optional"],
    },
  ],
};
