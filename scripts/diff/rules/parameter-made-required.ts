import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "parameter-made-required",
  breaking: true,
  category: "tightening",
  summary: "A parameter that could be omitted must now be sent.",
  cases: [
    {
      when: "when an optional parameter becomes required, then it is breaking",
      before: withParameters([parameter("brand", "query", { type: "string" })]),
      after: withParameters([parameter("brand", "query", { type: "string" }, true)]),
      expect: ["parameter-made-required"],
    },
  ],
};
