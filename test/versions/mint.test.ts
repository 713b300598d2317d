import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUNDLE_FILE, mintVersion } from "../../scripts/versions/mint.ts";
import { readRegistry, VersionCommandError } from "../../scripts/versions/registry-file.ts";
import { repoRoot } from "../../server/versions/registry.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every file under `dir` and its text: a refused command must leave all of them as they were. */
function treeText(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) files[name] = fs.readFileSync(file, "utf8");
  }
  return files;
}

/** A minimal repository: the registry, one document, and the real bundle file's markers. */
function fixture(versions: object[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wth-mint-unit-"));
  dirs.push(root);
  fs.mkdirSync(path.join(root, "openapi", "2026-05-07", "components"), { recursive: true });
  fs.writeFileSync(path.join(root, "openapi", "versions.json"), JSON.stringify({ versions }));
  fs.writeFileSync(
    path.join(root, "openapi", "2026-05-07", "openapi.yaml"),
    '# API, version 2026-05-07.\nopenapi: 3.1.0\ninfo:\n  title: T\n  version: "2026-05-07"\npaths: {}\n',
  );
  fs.writeFileSync(
    path.join(root, "openapi", "2026-05-07", "components", "a.yaml"),
    "type: string\n",
  );
  fs.mkdirSync(path.join(root, "server", "versions", "changes"), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, BUNDLE_FILE), path.join(root, BUNDLE_FILE));
  return root;
}

const released = { version: "2026-05-07", status: "released", released_at: "2026-05-07" };

describe("wth mint", () => {
  it("when a later date is minted, then the document is copied with its version, the changes folder is scaffolded and listed, and the version is unreleased", () => {
    const root = fixture([released]);
    const result = mintVersion(root, "2026-09-01");
    expect(result.from).toBe("2026-05-07");
    const doc = fs.readFileSync(path.join(root, "openapi", "2026-09-01", "openapi.yaml"), "utf8");
    expect(doc).toContain('  version: "2026-09-01"');
    expect(doc).toContain("# API, version 2026-09-01.");
    expect(fs.existsSync(path.join(root, "openapi", "2026-09-01", "components", "a.yaml"))).toBe(
      true,
    );
    const bundle = fs.readFileSync(path.join(root, BUNDLE_FILE), "utf8");
    expect(bundle).toContain(
      'import { changes as changes_2026_09_01 } from "./2026-09-01/index.ts";',
    );
    expect(bundle).toContain('{ version: "2026-09-01", changes: changes_2026_09_01 },');
    expect(
      fs.readFileSync(
        path.join(root, "server", "versions", "changes", "2026-09-01", "index.ts"),
        "utf8",
      ),
    ).toContain("export const changes: VersionChange[] = [];");
    expect(readRegistry(root).at(-1)).toEqual({
      version: "2026-09-01",
      status: "unreleased",
      released_at: null,
    });
  });

  it.each([
    ["2026-9-01", /"2026-9-01" is not a date/],
    ["2026-02-30", /"2026-02-30" is not a date/],
    ["2026-05-07", /version 2026-05-07 already exists/],
    ["2026-01-01", /2026-01-01 is not after the newest version 2026-05-07/],
  ])("when the date is %s, then it refuses and changes nothing", (date, message) => {
    const root = fixture([released]);
    const before = treeText(path.join(root, "openapi"));
    expect(() => mintVersion(root, date)).toThrow(message);
    expect(treeText(path.join(root, "openapi"))).toEqual(before);
    expect(fs.readdirSync(path.join(root, "openapi")).sort()).toEqual([
      "2026-05-07",
      "versions.json",
    ]);
  });

  it("when the newest version is still unreleased, then it refuses to mint another", () => {
    const root = fixture([released]);
    mintVersion(root, "2026-09-01");
    expect(() => mintVersion(root, "2026-10-01")).toThrow(/2026-09-01 is not released yet/);
  });

  it("when the bundle file lost its markers, then it refuses before copying anything", () => {
    const root = fixture([released]);
    fs.writeFileSync(path.join(root, BUNDLE_FILE), "export const versionBundle = [];\n");
    expect(() => mintVersion(root, "2026-09-01")).toThrow(VersionCommandError);
    expect(fs.existsSync(path.join(root, "openapi", "2026-09-01"))).toBe(false);
  });
});
