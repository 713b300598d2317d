import { integerFormatAddsNothing } from "../bound-changes.ts";
import { docsOf } from "../operations.ts";
import { enumKeys } from "../schema-text.ts";
import type { Rule } from "../types.ts";
import { object, requestBody, responseBody } from "./fixtures.ts";

export const rule: Rule = {
  id: "documentation-changed",
  breaking: false,
  category: "documentation",
  summary: "Only descriptions, summaries, examples or error-message wording changed.",
  visit: {
    document(node, ctx) {
      const signature = node.revision["x-webhook-signature"];
      if (node.base["x-webhook-signature"] === undefined && signature !== undefined)
        ctx.report({
          pointer: "/x-webhook-signature",
          before: null,
          after: signature,
          message: "The webhook signature is now described.",
        });
    },
    operation(node, ctx) {
      const { base: b, revision: a } = node;
      if (docsOf(b.op) !== docsOf(a.op) || docsOf(b.pathItem) !== docsOf(a.pathItem))
        ctx.report({ before: null, after: null, message: "The summary or description changed." });
    },
    parameter(node, ctx) {
      if (docsOf(node.base.raw) !== docsOf(node.revision.raw))
        ctx.report({
          before: null,
          after: null,
          message: `The description of parameter ${node.revision.name} changed.`,
        });
    },
    response(node, ctx) {
      if (docsOf(node.base) !== docsOf(node.revision))
        ctx.report({
          before: null,
          after: null,
          message: `The description of the ${node.status} response changed.`,
        });
    },
    schema(node, ctx) {
      const { base: b, revision: a } = node;
      if (b.docs !== a.docs)
        ctx.report({
          before: b.docs,
          after: a.docs,
          message: `The description or examples of ${node.name} changed.`,
        });
    },
    value(node, ctx) {
      const { base: b, revision: a } = node;
      if (b.meaning !== a.meaning && b.meaning === undefined)
        ctx.report({
          sub: "/x-meaning",
          before: null,
          after: a.meaning,
          message: `The meaning of ${node.name} is now documented as "${a.meaning}".`,
        });
      // A value added together with its meaning is an addition, not a documentation edit.
      const bm = b.enumMeanings ?? {};
      const am = a.enumMeanings ?? {};
      const existed = enumKeys(b);
      const old = (v: string) => existed === undefined || existed.has(JSON.stringify(v));
      const documented = Object.keys(am).filter(
        (v) => bm[v] === undefined && Object.keys(bm).length > 0 && old(v),
      );
      const firstTime = Object.keys(bm).length === 0 && Object.keys(am).filter(old).length > 0;
      if (documented.length > 0 || firstTime)
        ctx.report({
          sub: "/x-enum-meanings",
          before: null,
          after: firstTime ? am : Object.fromEntries(documented.map((v) => [v, am[v]])),
          message: `The meanings of ${node.name}'s values are now documented${firstTime ? "" : ` for ${documented.join(", ")}`}.`,
        });
      const input = node.direction === "input";
      // int32/int64 only name a range; when the old bounds already lie inside it, no request
      // the old schema accepted is refused, so this documents the storage type and breaks nobody.
      if (b.format !== a.format && input && integerFormatAddsNothing(node))
        ctx.report({
          sub: "/format",
          before: b.format ?? null,
          after: a.format ?? null,
          message: `${node.name} is now documented as ${a.format} (its bounds fit).`,
        });
      const bd = b.hasDefault ? JSON.stringify(b.default) : undefined;
      const ad = a.hasDefault ? JSON.stringify(a.default) : undefined;
      if (bd !== ad && !input)
        ctx.report({
          sub: "/default",
          before: b.default ?? null,
          after: a.default ?? null,
          message: `${node.name} documented default changed.`,
        });
    },
  },
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
