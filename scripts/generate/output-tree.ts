import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { compareCodeUnits } from "./canonical-json.ts";

export const OUTPUT_DIR = "generated";

/** Repo-relative path → bytes, for everything under `generated/`. */
export type Tree = Map<string, Buffer>;

export async function readTree(root: string): Promise<Tree> {
  const tree: Tree = new Map();
  async function walk(rel: string): Promise<void> {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else tree.set(child, await readFile(path.join(root, child)));
    }
  }
  await walk(OUTPUT_DIR);
  return tree;
}

export interface Difference {
  path: string;
  kind: "differs" | "missing" | "extra";
}

/** What would change if `desired` replaced `current`, sorted by path. */
export function compareTrees(current: Tree, desired: Map<string, Buffer>): Difference[] {
  const out: Difference[] = [];
  for (const [file, bytes] of desired) {
    const existing = current.get(file);
    if (existing === undefined) out.push({ path: file, kind: "missing" });
    else if (!existing.equals(bytes)) out.push({ path: file, kind: "differs" });
  }
  for (const file of current.keys()) {
    if (!desired.has(file)) out.push({ path: file, kind: "extra" });
  }
  return out.sort((a, b) => compareCodeUnits(a.path, b.path));
}

/**
 * Replaces `generated/` with exactly `desired`. The new tree is written completely into a temp
 * directory beside it (`.tmp/`, same filesystem, git-ignored), then swapped in with two
 * renames; a failure before the swap leaves `generated/` untouched, and a failing second rename
 * puts the old tree back.
 */
export async function replaceTree(root: string, desired: Map<string, Buffer>): Promise<void> {
  const scratchBase = path.join(root, ".tmp");
  await mkdir(scratchBase, { recursive: true });
  const work = await mkdtemp(path.join(scratchBase, "generate-write-"));
  try {
    const next = path.join(work, OUTPUT_DIR);
    await mkdir(next, { recursive: true });
    for (const [file, bytes] of desired) {
      const target = path.join(work, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    const live = path.join(root, OUTPUT_DIR);
    const previous = path.join(work, "previous");
    let moved = false;
    try {
      await rename(live, previous);
      moved = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    try {
      await rename(next, live);
    } catch (error) {
      if (moved) await rename(previous, live);
      throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
