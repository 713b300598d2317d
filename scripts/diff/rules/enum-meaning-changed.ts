import type { Rule } from "../types.ts";
import { object, requestBody, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "enum-meaning-changed",
  breaking: true,
  category: "meaning",
  summary:
    "An enum value's x-enum-meanings entry changed: the same value now means something else.",
  cases: [
    {
      when: "when a status value is repurposed, then it is breaking",
      before: responseBody(
        object(
          {
            status: {
              type: "string",
              enum: ["sold"],
              "x-enum-meanings": { sold: "reserved-by-an-order" },
            },
          },
          ["status"],
        ),
      ),
      after: responseBody(
        object(
          {
            status: {
              type: "string",
              enum: ["sold"],
              "x-enum-meanings": { sold: "payment-captured" },
            },
          },
          ["status"],
        ),
      ),
      expect: ["enum-meaning-changed"],
    },
    {
      when: "when a request enum value is repurposed, then it is breaking",
      before: requestBody(
        object({
          condition: {
            type: "string",
            enum: ["fair"],
            "x-enum-meanings": { fair: "needs-service" },
          },
        }),
      ),
      after: requestBody(
        object({
          condition: {
            type: "string",
            enum: ["fair"],
            "x-enum-meanings": { fair: "light-signs-of-wear" },
          },
        }),
      ),
      expect: ["enum-meaning-changed"],
    },
  ],
};
