import type { Rule } from "../types.ts";
import { parameter, withParameters } from "./fixtures.ts";

export const rule: Rule = {
  id: "required-parameter-added",
  breaking: true,
  category: "tightening",
  summary: "A new parameter must be sent; existing requests lack it.",
  cases: [
    {
      when: "when a required query parameter is added, then it is breaking",
      before: withParameters([]),
      after: withParameters([parameter("brand", "query", { type: "string" }, true)]),
      expect: ["required-parameter-added"],
    },
    {
      when: "when a required header is added, then it is breaking",
      before: withParameters([]),
      after: withParameters([parameter("X-Tenant", "header", { type: "string" }, true)]),
      expect: ["required-parameter-added"],
    },
  ],
};
