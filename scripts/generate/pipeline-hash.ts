import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { compareCodeUnits } from "./canonical-json.ts";
import { GENERATE_DIR } from "./tools.ts";

/**
 * A hash of the generator's own code (everything under scripts/generate, emitters and the
 * client runtime included). Recorded in the manifest so that changing an emitter invalidates
 * the "nothing changed" shortcut, just as a new openapi-typescript version does.
 */
export async function pipelineHash(): Promise<string> {
  const files: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(path.join(GENERATE_DIR, rel), { withFileTypes: true });
    for (const entry of entries) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) files.push(child);
    }
  }
  await walk("");
  files.sort(compareCodeUnits);
  const hash = createHash("sha256");
  for (const file of files) {
    const bytes = await readFile(path.join(GENERATE_DIR, file));
    hash.update(`${file}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}
