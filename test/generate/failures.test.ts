import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cloneRoot, fixtureRoot, listTree, runGenerate, treeHash } from "./helpers.ts";

// Every case runs the real generators (Redocly, Spectral, openapi-typescript) in child
// processes; on a loaded 2-core machine one generation can take tens of seconds.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

const V = "openapi/2026-01-15";

interface FailureCase {
  name: string;
  /** Repo-relative file to edit, and the edit. */
  file: string;
  edit: (text: string) => string;
  /** The file, and the text on the line, that the error must point at. */
  expectFile: string;
  expectLineWith: string;
  expectMessage: RegExp;
}

const replaceOnce = (from: string, to: string) => (text: string) => {
  if (!text.includes(from)) throw new Error(`fixture no longer contains ${from}`);
  return text.replace(from, to);
};

const cases: FailureCase[] = [
  {
    name: "a YAML syntax error",
    file: `${V}/components/schemas/Listing.yaml`,
    edit: replaceOnce("  brand:\n    type: string\n", "  brand: [unclosed\n    type: string\n"),
    expectFile: `${V}/components/schemas/Listing.yaml`,
    expectLineWith: "brand: [unclosed",
    expectMessage: /yaml-syntax/,
  },
  {
    name: "a dangling $ref",
    file: `${V}/paths/listings_{listing_id}.yaml`,
    edit: replaceOnce("schemas/Listing.yaml", "schemas/Missing.yaml"),
    expectFile: `${V}/paths/listings_{listing_id}.yaml`,
    expectLineWith: "schemas/Missing.yaml",
    expectMessage: /Can't resolve \$ref.*no-unresolved-refs/,
  },
  {
    name: "an invalid schema",
    file: `${V}/components/schemas/Listing.yaml`,
    edit: replaceOnce("    type: integer\n", "    type: int\n"),
    expectFile: `${V}/components/schemas/Listing.yaml`,
    expectLineWith: "type: int",
    expectMessage: /`type` can be one of the following only/,
  },
  {
    name: "a lint error (two operations with one operationId)",
    file: `${V}/paths/listings_{listing_id}.yaml`,
    edit: replaceOnce("operationId: retrieveListing", "operationId: listListings"),
    expectFile: `${V}/paths/listings_{listing_id}.yaml`,
    expectLineWith: "operationId: listListings",
    expectMessage: /operation-operationId-unique/,
  },
];

let baseline: string;
const roots: string[] = [];

beforeAll(async () => {
  baseline = await fixtureRoot("basic");
  roots.push(baseline);
  const run = await runGenerate(baseline);
  if (run.code !== 0) throw new Error(`baseline generation failed:\n${run.stderr}`);
});

afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe.each(cases)("when the document has $name", (c) => {
  let root: string;
  let before: string;
  let run: Awaited<ReturnType<typeof runGenerate>>;
  let expectedLine: number;

  beforeAll(async () => {
    root = await cloneRoot(baseline);
    roots.push(root);
    const target = path.join(root, c.file);
    const edited = c.edit(await readFile(target, "utf8"));
    await writeFile(target, edited);
    expectedLine = edited.split("\n").findIndex((line) => line.includes(c.expectLineWith)) + 1;
    before = await treeHash(path.join(root, "generated"));
    run = await runGenerate(root);
  });

  it("then generate exits non-zero and names the file, line and problem", () => {
    expect(run.code).toBe(1);
    const lines = run.stderr.split("\n").filter((line) => line.startsWith(`${c.expectFile}:`));
    const hit = lines.find((line) => c.expectMessage.test(line));
    expect(hit, run.stderr).toBeDefined();
    const line = Number(hit?.slice(c.expectFile.length + 1).split(":")[0]);
    // YAML parsers may flag the line after an unclosed construct; anything else is exact.
    expect([expectedLine, expectedLine + 1]).toContain(line);
    expect(run.stderr).toContain("generated/ was not changed");
  });

  it("then generated/ is exactly as it was and no scratch files are left", async () => {
    expect(await treeHash(path.join(root, "generated"))).toBe(before);
    expect(await listTree(path.join(root, ".tmp"))).toEqual([]);
  });
});

describe("when versions.json is broken", () => {
  const registryCases = [
    {
      name: "not valid JSON",
      contents: '{\n  "versions": [\n    { "version": "2026-01-15", }\n',
      expect: /^openapi\/versions\.json:\d+:\d+: error: .*\(json-syntax\)$/m,
    },
    {
      name: "listing a version with no document",
      contents: `${JSON.stringify(
        {
          versions: [
            { version: "2026-01-15", status: "released", released_at: "2026-01-15" },
            { version: "2026-09-09", status: "unreleased", released_at: null },
          ],
        },
        null,
        2,
      )}\n`,
      expect: /^openapi\/2026-09-09\/openapi\.yaml: error: .*missing/m,
    },
  ];

  it.each(registryCases)(
    "then, when it is $name, generate fails naming it and leaves generated/ alone",
    async (c) => {
      const root = await cloneRoot(baseline);
      roots.push(root);
      await writeFile(path.join(root, "openapi/versions.json"), c.contents);
      const before = await treeHash(path.join(root, "generated"));
      const run = await runGenerate(root);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(c.expect);
      expect(await treeHash(path.join(root, "generated"))).toBe(before);
    },
  );
});
