import type { Rule } from "../types.ts";
import { object, requestBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "request-enum-added",
  breaking: true,
  category: "tightening",
  summary: "A free request field is now limited to a set of values.",
  cases: [
    {
      when: "when a free request field becomes an enum, then it is breaking",
      before: requestBody(object({ a: { type: "string" } })),
      after: requestBody(object({ a: { type: "string", enum: ["x", "y"] } })),
      expect: ["request-enum-added"],
    },
  ],
};
