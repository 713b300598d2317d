import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import type { Emitter } from "../context.ts";

/**
 * `types.ts`: openapi-typescript's `paths`, `webhooks`, `components` and `operations`. It reads
 * the bundle with internal `$ref`s kept, so schemas stay named (`components["schemas"]["Listing"]`)
 * instead of being inlined at every use.
 */
export const emitTypesTs: Emitter = async (ctx) => {
  // openapiTS annotates the object it is given; hand it a copy so other emitters see the original.
  const ast = await openapiTS(structuredClone(ctx.bundled) as unknown as OpenAPI3, {
    silent: true,
  });
  return [
    {
      path: `${ctx.outDir}/types.ts`,
      contents: `/**\n * ${ctx.banner}\n */\n\n${astToString(ast)}`,
    },
  ];
};
