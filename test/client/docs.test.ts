/**
 * docs/client.md shows the snippet files verbatim; the files themselves are type-checked and run
 * by e2e.test.ts. Together: every code block of the guide compiles and works.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/processes.ts";

const GUIDE = path.join(REPO_ROOT, "docs/client.md");
const SNIPPETS = "docs/snippets/client";

async function embedded(): Promise<Map<string, string>> {
  const text = await readFile(GUIDE, "utf8");
  const blocks = new Map<string, string>();
  for (const match of text.matchAll(/<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g)) {
    blocks.set(match[1] ?? "", match[2] ?? "");
  }
  return blocks;
}

describe("docs/client.md", () => {
  it("when the guide embeds a snippet, then the block is the snippet file, byte for byte", async () => {
    const blocks = await embedded();
    expect(blocks.size).toBeGreaterThan(0);
    for (const [file, block] of blocks) {
      expect(block, `${file} differs from its block in docs/client.md`).toBe(
        await readFile(path.join(REPO_ROOT, file), "utf8"),
      );
    }
  });

  it("when a snippet file exists, then the guide shows it", async () => {
    const blocks = await embedded();
    const files = (await readdir(path.join(REPO_ROOT, SNIPPETS))).filter((f) => f.endsWith(".ts"));
    expect([...blocks.keys()].sort()).toEqual(files.map((f) => `${SNIPPETS}/${f}`).sort());
  });

  it("when the guide has TypeScript code, then it is only in embedded snippets", async () => {
    const text = await readFile(GUIDE, "utf8");
    const tsBlocks = text.match(/```ts\n/g) ?? [];
    expect(tsBlocks.length).toBe((await embedded()).size);
  });
});
