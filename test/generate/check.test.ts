import { readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generate } from "../../scripts/generate/pipeline.ts";
import { GenerateError } from "../../scripts/generate/problems.ts";
import { cloneRoot, fixtureRoot, runGenerate, sha256Hex, treeHash } from "./helpers.ts";

// Every case runs the real generators (Redocly, Spectral, openapi-typescript) in child
// processes; on a loaded 2-core machine one generation can take tens of seconds.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

const OUT = "generated/2026-01-15";

let baseline: string;
const roots: string[] = [];

async function copyOfBaseline(): Promise<string> {
  const root = await cloneRoot(baseline);
  roots.push(root);
  return root;
}

beforeAll(async () => {
  baseline = await fixtureRoot("basic");
  roots.push(baseline);
  const run = await runGenerate(baseline);
  if (run.code !== 0) throw new Error(`baseline generation failed:\n${run.stderr}`);
});

afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe("when generated/ is current", () => {
  it("then --check exits 0 without running the generators", async () => {
    const run = await runGenerate(baseline, ["--check"]);
    expect(run.stdout).toContain("generated/ is up to date");
    expect(run.stderr).toContain("2026-01-15: unchanged");
    expect(run.code).toBe(0);
  });

  it("then --check --full regenerates everything and still exits 0", async () => {
    const run = await runGenerate(baseline, ["--check", "--full"]);
    expect(run.stderr).toMatch(/2026-01-15: generated \d+ files/);
    expect(run.code).toBe(0);
  });

  it("then generate writes nothing: same bytes, same modification times", async () => {
    const root = await copyOfBaseline();
    const file = path.join(root, OUT, "openapi.json");
    const mtime = (await stat(file)).mtimeMs;
    const before = await treeHash(path.join(root, "generated"));
    const run = await runGenerate(root);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("nothing written");
    expect(await treeHash(path.join(root, "generated"))).toBe(before);
    expect((await stat(file)).mtimeMs).toBe(mtime);
  });
});

describe("when generated/ has drifted", () => {
  const drifts = [
    {
      name: "a generated file was edited",
      apply: (root: string) =>
        writeFile(path.join(root, OUT, "types.ts"), "// edited by hand\n", { flag: "a" }),
      expect: `${OUT}/types.ts: differs from what generation produces`,
      repair: true,
    },
    {
      name: "a generated file was deleted",
      apply: (root: string) => unlink(path.join(root, "generated/docs/index.html")),
      expect: "generated/docs/index.html: missing (generation produces it)",
      repair: false,
    },
    {
      name: "a stray file was added",
      apply: (root: string) => writeFile(path.join(root, OUT, "notes.txt"), "hello\n"),
      expect: `${OUT}/notes.txt: extra (generation does not produce it)`,
      repair: false,
    },
    {
      name: "the source document changed but generated/ did not",
      apply: async (root: string) => {
        const file = path.join(root, "openapi/2026-01-15/paths/listings.yaml");
        const text = await readFile(file, "utf8");
        await writeFile(
          file,
          text.replace("summary: List all listings", "summary: List every listing"),
        );
      },
      expect: `${OUT}/openapi.json: differs from what generation produces`,
      repair: true,
    },
  ];

  describe.each(drifts)("because $name", (d) => {
    let root: string;
    let before: string;
    let run: Awaited<ReturnType<typeof runGenerate>>;

    beforeAll(async () => {
      root = await copyOfBaseline();
      await d.apply(root);
      before = await treeHash(path.join(root, "generated"));
      run = await runGenerate(root, ["--check"]);
    });

    it("then --check exits 1 naming the file, and changes nothing", async () => {
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(d.expect);
      expect(run.stdout).toContain('run "wth generate"');
      expect(await treeHash(path.join(root, "generated"))).toBe(before);
    });
  });

  // Repairing regenerates a version; an edited output and an edited source cover both paths.
  describe.each(drifts.filter((d) => d.repair))("because $name, and generate runs", (d) => {
    it("then generate repairs it and --check is clean again", async () => {
      const root = await copyOfBaseline();
      await d.apply(root);
      const fix = await runGenerate(root);
      expect(fix.code).toBe(0);
      const check = await runGenerate(root, ["--check"]);
      expect(check.stdout).toContain("generated/ is up to date");
      expect(check.code).toBe(0);
    });
  });
});

describe("when both a generated file and its hash in MANIFEST.json are forged", () => {
  it("then the fast --check trusts the manifest, and --check --full catches the forgery", async () => {
    const root = await copyOfBaseline();
    const typesPath = path.join(root, OUT, "types.ts");
    const forged = `${await readFile(typesPath, "utf8")}export type Forged = true;\n`;
    await writeFile(typesPath, forged);
    const manifestPath = path.join(root, "generated/MANIFEST.json");
    const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as {
      versions: Record<string, { files: Record<string, string> }>;
    };
    const entry = manifest.versions["2026-01-15"];
    if (entry === undefined) throw new Error("baseline manifest lacks the version");
    entry.files[`${OUT}/types.ts`] = sha256Hex(forged);
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

    const fast = await runGenerate(root, ["--check"]);
    expect(fast.code).toBe(0);
    const full = await runGenerate(root, ["--check", "--full"]);
    expect(full.code).toBe(1);
    expect(full.stdout).toContain(`${OUT}/types.ts: differs`);
    expect(full.stdout).toContain("generated/MANIFEST.json: differs");
  });
});

describe("when an emitter breaks the output rules", () => {
  const broken = [
    {
      name: "a file without the banner",
      path: `${OUT}/extra.txt`,
      contents: () => "no banner here\n",
      rule: /lacks the banner/,
    },
    {
      name: "a file outside generated/<date>/",
      path: "generated/elsewhere.txt",
      contents: (b: string) => `${b}\n`,
      rule: /not a normalised path under/,
    },
  ];

  it.each(broken)("then, for $name, generation fails and generated/ is untouched", async (b) => {
    const root = await copyOfBaseline();
    const before = await treeHash(path.join(root, "generated"));
    const failure = await generate({
      root,
      mode: "write",
      full: true,
      emitters: [
        {
          name: "broken",
          emit: async (ctx) => [{ path: b.path, contents: b.contents(ctx.banner) }],
        },
      ],
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GenerateError);
    expect((failure as GenerateError).problems.map((p) => p.message).join("\n")).toMatch(b.rule);
    expect(await treeHash(path.join(root, "generated"))).toBe(before);
  });
});
