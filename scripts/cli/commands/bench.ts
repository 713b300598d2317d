import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { TOOL_ROOT } from "../../generate/tools.ts";
import type { Command } from "../main.ts";

const BENCH_DIR = path.join(TOOL_ROOT, "bench");

/** A benchmark module: `bench/<name>.ts` exporting `run(args)`; a number it returns is the exit code. */
interface Bench {
  run(args: string[]): Promise<unknown>;
}

async function availableBenches(): Promise<string[]> {
  const names = await readdir(BENCH_DIR).catch(() => [] as string[]);
  return names
    .filter((name) => name.endsWith(".ts"))
    .map((name) => name.slice(0, -".ts".length))
    .sort();
}

export const command: Command = {
  summary: "run a benchmark from bench/ (wth bench <name> [args]; no name lists them)",
  async run(args) {
    const [name, ...rest] = args;
    const benches = await availableBenches();
    if (name === undefined || !benches.includes(name)) {
      const stream = name === undefined ? process.stdout : process.stderr;
      if (name !== undefined) stream.write(`wth bench: no benchmark named "${name}"\n`);
      stream.write(
        `usage: wth bench <name> [args]\navailable: ${benches.join(", ") || "(none)"}\n`,
      );
      return 2;
    }
    const mod = (await import(
      pathToFileURL(path.join(BENCH_DIR, `${name}.ts`)).href
    )) as Partial<Bench>;
    if (typeof mod.run !== "function") {
      process.stderr.write(`wth bench: bench/${name}.ts does not export run(args)\n`);
      return 2;
    }
    const code = await mod.run(rest);
    return typeof code === "number" ? code : 0;
  },
};
