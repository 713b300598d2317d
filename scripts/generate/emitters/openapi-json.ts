import { canonicalDocument, stringifyJson } from "../canonical-json.ts";
import type { Emitter } from "../context.ts";

/**
 * `openapi.json`: the fully dereferenced bundle the server validates against. JSON has no
 * comments, so the banner travels in a top-level `x-generated` field.
 */
export const emitOpenApiJson: Emitter = async (ctx) => [
  {
    path: `${ctx.outDir}/openapi.json`,
    contents: stringifyJson(canonicalDocument({ "x-generated": ctx.banner, ...ctx.document })),
  },
];
