/**
 * `openapi/versions.json` has one owner, server/versions/registry.ts: it alone reads and
 * validates the file, and it owns the rules (newest, released, the version a new integration is
 * pinned to, unknown dates). Everything else asks it.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  parseVersionList,
  readVersionList,
  repoRoot,
  VERSIONS_FILE,
  VersionRegistryError,
} from "../../server/versions/registry.ts";
import { registryReadsIn, sourceFiles } from "./registry-readers.ts";

const OWNER = path.join("server", "versions", "registry.ts");

const registry = (versions: object[]) => JSON.stringify({ versions });
const released = (version: string) => ({ version, status: "released", released_at: version });
const unreleased = (version: string) => ({ version, status: "unreleased", released_at: null });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function repoWith(text: string | undefined): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wth-registry-owner-"));
  dirs.push(root);
  fs.mkdirSync(path.join(root, "openapi"));
  if (text !== undefined) fs.writeFileSync(path.join(root, VERSIONS_FILE), text);
  return root;
}

describe("the registry has one reader", () => {
  it("when the source tree is scanned, then only the owner reads openapi/versions.json", () => {
    const reads = sourceFiles(repoRoot, ["server", "scripts", "bench", "test"])
      .filter((file) => file !== OWNER)
      .flatMap((file) => registryReadsIn(file, fs.readFileSync(path.join(repoRoot, file), "utf8")));
    expect(reads).toEqual([]);
  });

  it("when the scan meets the owner itself, then it reports its reads (the scan can fail)", () => {
    const reads = registryReadsIn(OWNER, fs.readFileSync(path.join(repoRoot, OWNER), "utf8"));
    expect(reads.map((r) => r.what)).toContain("reads the registry's path through file");
  });

  it.each([
    [
      "reads the joined path",
      'const t = fs.readFileSync(path.join(root, "openapi", "versions.json"), "utf8");',
      ["reads the registry's path"],
    ],
    [
      "reads it through a variable",
      'const f = path.join(root, VERSIONS_FILE);\nconst t = await readFile(f, "utf8");',
      ["reads the registry's path through f"],
    ],
    [
      "asks whether it exists",
      'if (!existsSync(path.join(root, "openapi/versions.json"))) return [];',
      ["reads the registry's path"],
    ],
    [
      "declares its own constant",
      'export const VERSIONS_FILE = "openapi/versions.json";',
      ["declares its own VERSIONS_FILE"],
    ],
    [
      "writes a fixture",
      'fs.writeFileSync(path.join(root, "openapi", "versions.json"), "{}");',
      [],
    ],
    [
      "names it in a message",
      'throw new Error("openapi/versions.json lists no version"); // versions.json',
      [],
    ],
  ])("when a module %s, then the scan says so exactly", (_name, code, want) => {
    expect(registryReadsIn("x.ts", code).map((r) => r.what)).toEqual(want);
  });
});

describe("the owner's rules", () => {
  it("when versions are listed out of order, then entries come back oldest first", () => {
    const list = parseVersionList(
      registry([unreleased("2026-11-01"), released("2026-05-07"), released("2026-08-01")]),
    );
    expect(list.versions).toEqual(["2026-05-07", "2026-08-01", "2026-11-01"]);
  });

  it("when the newest listed version is unreleased, then newest is the newest released and latest the newest listed", () => {
    const list = parseVersionList(
      registry([released("2026-05-07"), released("2026-08-01"), unreleased("2026-11-01")]),
    );
    expect(list.newest).toBe("2026-08-01");
    expect(list.latest).toBe("2026-11-01");
    expect(list.released.map((e) => e.version)).toEqual(["2026-05-07", "2026-08-01"]);
    expect(list.isReleased("2026-08-01")).toBe(true);
    expect(list.isReleased("2026-11-01")).toBe(false);
  });

  it("when a new integration is created, then it is pinned to the newest released version", () => {
    const list = parseVersionList(
      registry([released("2026-05-07"), released("2026-08-01"), unreleased("2026-11-01")]),
    );
    expect(list.pinnedDefault()).toBe("2026-08-01");
  });

  it("when nothing is released, then there is no version to pin a new integration to", () => {
    const list = parseVersionList(registry([unreleased("2026-05-07")]));
    expect(list.newest).toBeUndefined();
    expect(() => list.pinnedDefault()).toThrow(
      new VersionRegistryError("lists no released version"),
    );
  });

  it("when asked about a date it does not list, then it is unknown: not released, and its entry is an error naming the file", () => {
    const list = parseVersionList(registry([released("2026-05-07")]));
    expect(list.has("2026-06-01")).toBe(false);
    expect(list.isReleased("2026-06-01")).toBe(false);
    expect(() => list.entry("2026-06-01")).toThrow(
      "openapi/versions.json: does not list 2026-06-01",
    );
    expect(list.entry("2026-05-07")).toEqual(released("2026-05-07"));
  });

  it("when released_at is left out, then it reads as null", () => {
    const list = parseVersionList(registry([{ version: "2026-05-07", status: "released" }]));
    expect(list.entry("2026-05-07").released_at).toBeNull();
  });

  it.each([
    [
      "not JSON",
      '{\n  "versions": [\n    { "version": "2026-05-07", }\n',
      /^openapi\/versions\.json:3:\d+: invalid JSON: /,
    ],
    ["no versions array", "{}", /^openapi\/versions\.json: expected \{"versions": \[\.\.\.\]\}/],
    ["an empty list", registry([]), /^openapi\/versions\.json: expected .* at least one version$/],
    [
      "a date that is not a date",
      registry([released("2026-02-30")]),
      /versions\[0\]\.version must be a YYYY-MM-DD date, not "2026-02-30"$/,
    ],
    [
      "an unknown status",
      registry([{ version: "2026-05-07", status: "beta" }]),
      /versions\[0\]\.status must be "released" or "unreleased", not "beta"$/,
    ],
    [
      "a bad release date",
      registry([{ ...released("2026-05-07"), released_at: "May 7" }]),
      /versions\[0\]\.released_at must be a YYYY-MM-DD date or null/,
    ],
    [
      "a version twice",
      registry([released("2026-05-07"), released("2026-05-07")]),
      /^openapi\/versions\.json: version 2026-05-07 is listed twice$/,
    ],
  ])(
    "when the registry has %s, then it is refused with one line naming the file",
    (_name, text, want) => {
      let error: unknown;
      try {
        parseVersionList(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(VersionRegistryError);
      const message = (error as Error).message;
      expect(message).toMatch(want);
      expect(message).not.toContain("\n");
    },
  );

  it("when given a repository root, then it reads that repository's registry", () => {
    const root = repoWith(registry([released("2026-01-01"), unreleased("2026-02-01")]));
    expect(readVersionList(root).versions).toEqual(["2026-01-01", "2026-02-01"]);
    expect(readVersionList(root).newest).toBe("2026-01-01");
  });

  it("when the repository has no registry, then it is an error unless asked to treat it as empty", () => {
    const root = repoWith(undefined);
    expect(() => readVersionList(root)).toThrow(/^openapi\/versions\.json: missing \(looked for /);
    expect(readVersionList(root, { ifMissing: "empty" }).versions).toEqual([]);
  });
});

describe("the CLI asks the owner", () => {
  it.each([
    ["lint", ["lint"]],
    ["check", ["check"]],
    ["generate", ["generate"]],
  ])(
    "when `wth %s` meets a malformed registry, then it prints one line naming the file and no stack",
    (_name, args) => {
      const root = repoWith(registry([{ version: "2026-05-07", status: "beta" }]));
      const run = spawnSync(
        process.execPath,
        [path.join(repoRoot, "scripts", "wth.js"), ...args, "--root", root],
        { encoding: "utf8", env: { ...process.env, WTH_DEBUG: "" }, timeout: 60_000 },
      );
      expect(run.status).not.toBe(0);
      // generate adds its "generated/ was not changed" line; the error itself is one line.
      const naming = run.stderr.split("\n").filter((l) => l.includes(VERSIONS_FILE));
      expect(naming).toHaveLength(1);
      expect(naming[0]).toMatch(
        /openapi\/versions\.json: (error: )?versions\[0\]\.status must be "released"/,
      );
      expect(run.stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );
});
