import type { Rule } from "../types.ts";
import { object, requestBody, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "documentation-changed",
  breaking: false,
  category: "documentation",
  summary: "Only descriptions, summaries, examples or error-message wording changed.",
  cases: [
    {
      when: "when a request integer already bounded inside int32 gains format int32, then it is documentation only",
      before: requestBody(object({ n: { type: "integer", minimum: 1, maximum: 100 } })),
      after: requestBody(
        object({ n: { type: "integer", minimum: 1, maximum: 100, format: "int32" } }),
      ),
      expect: ["documentation-changed"],
    },
    {
      when: "when a description changes, then it is documentation only",
      before: requestBody(object({ a: { type: "string", description: "The brand." } })),
      after: requestBody(
        object({ a: { type: "string", description: "The watch brand, as printed on the dial." } }),
      ),
      expect: ["documentation-changed"],
    },
    {
      when: "when an error code's description changes, then it is documentation only",
      before: responseBody(
        object(
          { code: { type: "string", enum: ["x"], "x-enum-descriptions": { x: "old words" } } },
          ["code"],
        ),
      ),
      after: responseBody(
        object(
          { code: { type: "string", enum: ["x"], "x-enum-descriptions": { x: "new words" } } },
          ["code"],
        ),
      ),
      expect: ["documentation-changed"],
    },
    {
      when: "when x-enum-meanings is added to an enum that had none, then it is documentation only",
      before: responseBody(object({ s: { type: "string", enum: ["a"] } }, ["s"])),
      after: responseBody(
        object({ s: { type: "string", enum: ["a"], "x-enum-meanings": { a: "active" } } }, ["s"]),
      ),
      expect: ["documentation-changed"],
    },
  ],
};
