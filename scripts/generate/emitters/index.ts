import type { NamedEmitter } from "../context.ts";
import { emitClient } from "./client.ts";
import { emitOpenApiJson } from "./openapi-json.ts";
import { emitReferenceDocs } from "./reference-docs.ts";
import { emitRollForward } from "./roll-forward.ts";
import { emitServerTs } from "./server-ts.ts";
import { emitTypesTs } from "./types-ts.ts";

/**
 * Every per-version emitter, run concurrently for each version that needs regenerating. To add
 * one, import it and append one line; each file it returns must lie under `ctx.outDir` and carry
 * `ctx.banner`, which the pipeline checks.
 */
export const emitters: NamedEmitter[] = [
  { name: "openapi-json", emit: emitOpenApiJson },
  { name: "types-ts", emit: emitTypesTs },
  { name: "server-ts", emit: emitServerTs },
  { name: "reference-docs", emit: emitReferenceDocs },
  { name: "client", emit: emitClient },
  { name: "roll-forward", emit: emitRollForward },
];
