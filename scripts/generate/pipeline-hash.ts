import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { compareCodeUnits } from "./canonical-json.ts";
import { GENERATE_DIR, TOOL_ROOT } from "./tools.ts";

/** What generation compiles in besides scripts/generate: the client runtime and its manifest. */
const RUNTIME_SOURCES = "client-runtime/src";
const RUNTIME_MANIFEST = "client-runtime/package.json";

/**
 * A hash of the generator's own code (everything under scripts/generate, emitters included,
 * plus the client runtime it compiles into every package). Recorded in the manifest so that
 * changing an emitter or the runtime invalidates the "nothing changed" shortcut, just as a new
 * openapi-typescript version does.
 */
export async function pipelineHash(): Promise<string> {
  const files: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(path.join(TOOL_ROOT, rel), { withFileTypes: true });
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) files.push(child);
    }
  }
  await walk(path.relative(TOOL_ROOT, GENERATE_DIR));
  await walk(RUNTIME_SOURCES);
  files.push(RUNTIME_MANIFEST);
  files.sort(compareCodeUnits);
  const hash = createHash("sha256");
  for (const file of files) {
    const bytes = await readFile(path.join(TOOL_ROOT, file));
    hash.update(`${file}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}
