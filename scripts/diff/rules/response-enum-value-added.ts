import type { Rule } from "../types.ts";
import { object, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "response-enum-value-added",
  breaking: false,
  category: "addition",
  summary: "A response enum may carry a new value; clients must tolerate unknown values.",
  cases: [
    {
      when: "when a response enum gains a value, then it is not breaking",
      before: responseBody(object({ s: { type: "string", enum: ["a"] } }, ["s"])),
      after: responseBody(object({ s: { type: "string", enum: ["a", "b"] } }, ["s"])),
      expect: ["response-enum-value-added"],
    },
  ],
};
