import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildReleaseSnapshot, checkReleasedVersions } from "../../scripts/diff/released.ts";
import { removeTempDirs, runWth, tempDir, writeTree } from "./helpers.ts";

afterAll(removeTempDirs);

const doc = `openapi: 3.1.0
info: {title: t, version: "2026-01-01"}
paths:
  /v1/things:
    $ref: paths/things.yaml
`;
const things = `post:
  requestBody:
    required: true
    content:
      application/json:
        schema:
          type: object
          required: [name]
          properties:
            name: {type: string, maxLength: 100}
  responses:
    "201": {description: created}
`;

function repo(
  versions: unknown = {
    versions: [{ version: "2026-01-01", status: "released", released_at: "2026-01-01" }],
  },
) {
  const dir = tempDir("wth-check-");
  writeTree(dir, {
    "openapi/versions.json": JSON.stringify(versions),
    "openapi/2026-01-01/openapi.yaml": doc,
    "openapi/2026-01-01/paths/things.yaml": things,
  });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      cwd: dir,
      stdio: "pipe",
    });
  git("init", "-q");
  return {
    dir,
    git,
    edit: (file: string, from: string, to: string) => {
      const p = path.join(dir, file);
      writeFileSync(p, readFileSync(p, "utf8").replace(from, to));
    },
  };
}

async function released() {
  const r = repo();
  const wrote = await runWth(["check", "--root", r.dir, "--write-snapshot", "2026-01-01"]);
  expect(wrote.code).toBe(0);
  r.git("add", ".");
  r.git("commit", "-qm", "release 2026-01-01");
  return r;
}

describe("wth check guards released versions", () => {
  it("when nothing changed since the release, then it passes", async () => {
    const r = await released();
    expect((await checkReleasedVersions(r.dir)).map((c) => [c.version, c.ok, c.problems])).toEqual([
      ["2026-01-01", true, []],
    ]);
    // The command also runs the version-change checks, which need generated bundles this
    // scratch repository does not have; the release guard's own line must still say ok.
    const run = await runWth(["check", "--root", r.dir]);
    expect(run.stdout).toContain("ok   2026-01-01 (0 non-breaking changes since release)");
    expect(run.stdout).not.toContain("FAIL 2026-01-01");
  });

  it("when a released document changes in a breaking way, then it fails and shows the finding", async () => {
    const r = await released();
    r.edit("openapi/2026-01-01/paths/things.yaml", "maxLength: 100", "maxLength: 10");
    const run = await runWth(["check", "--root", r.dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FAIL 2026-01-01");
    expect(run.stdout).toContain("request-max-decreased");
  });

  it("when a breaking finding is acknowledged with a reason, then it is printed, not failed; when the acknowledgement goes stale, then it fails naming it", async () => {
    const r = await released();
    r.edit("openapi/2026-01-01/paths/things.yaml", "maxLength: 100", "maxLength: 10");
    const pointer =
      "/paths/~1v1~1things/post/requestBody/content/application~1json/schema/properties/name/maxLength";
    writeTree(r.dir, {
      "openapi/acknowledged-breaking-changes.json": JSON.stringify({
        acknowledged: [
          {
            version: "2026-01-01",
            rule: "request-max-decreased",
            pointer,
            reason: "names longer than 10 were never stored",
          },
        ],
      }),
    });
    const [accepted] = await checkReleasedVersions(r.dir);
    expect([accepted?.ok, accepted?.result?.breaking, accepted?.acknowledged]).toEqual([
      true,
      0,
      [
        `request-max-decreased at POST /v1/things ${pointer}: names longer than 10 were never stored`,
      ],
    ]);

    r.edit("openapi/2026-01-01/paths/things.yaml", "maxLength: 10", "maxLength: 100");
    const [stale] = await checkReleasedVersions(r.dir);
    expect(stale?.ok).toBe(false);
    expect(stale?.problems).toEqual([
      `openapi/acknowledged-breaking-changes.json acknowledges request-max-decreased at ${pointer}, which 2026-01-01 no longer has: remove that entry`,
    ]);
  });

  it("when an acknowledgement has no reason, then check cannot read it and says which entry", async () => {
    const r = await released();
    writeTree(r.dir, {
      "openapi/acknowledged-breaking-changes.json": JSON.stringify({
        acknowledged: [{ version: "2026-01-01", rule: "request-max-decreased", pointer: "/x" }],
      }),
    });
    const run = await runWth(["check", "--root", r.dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("acknowledged[0].reason must be a non-empty string");
  });

  it("when a released document changes only additively, then it passes", async () => {
    const r = await released();
    r.edit(
      "openapi/2026-01-01/paths/things.yaml",
      "            name: {type: string, maxLength: 100}",
      "            name: {type: string, maxLength: 100}\n            note: {type: string}",
    );
    const checks = await checkReleasedVersions(r.dir);
    expect(checks.map((c) => [c.version, c.ok, c.result?.nonBreaking])).toEqual([
      ["2026-01-01", true, 1],
    ]);
  });

  it("when a released version has no snapshot, then it fails", async () => {
    const r = repo();
    const run = await runWth(["check", "--root", r.dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("has no snapshot openapi/snapshots/2026-01-01.json");
  });

  it("when the snapshot was edited after its release commit, then it fails even if the diff is clean", async () => {
    const r = await released();
    r.edit("openapi/2026-01-01/paths/things.yaml", "maxLength: 100", "maxLength: 10");
    rmSync(path.join(r.dir, "openapi/snapshots/2026-01-01.json"));
    writeFileSync(
      path.join(r.dir, "openapi/snapshots/2026-01-01.json"),
      await buildReleaseSnapshot("2026-01-01", r.dir),
    );
    r.git("commit", "-qam", "sneak a breaking change into the snapshot");
    const checks = await checkReleasedVersions(r.dir);
    expect(checks[0]?.ok).toBe(false);
    expect(checks[0]?.result?.breaking).toBe(0);
    expect(checks[0]?.problems.join("\n")).toMatch(/was edited after it was committed/);
  });

  it("when a released version's document is deleted, then it fails", async () => {
    const r = await released();
    rmSync(path.join(r.dir, "openapi/2026-01-01"), { recursive: true });
    expect((await checkReleasedVersions(r.dir))[0]?.problems.join("\n")).toMatch(
      /cannot be removed/,
    );
  });

  it("when a version is unreleased or there is no registry, then there is nothing to guard", async () => {
    const r = repo({ versions: [{ version: "2026-01-01", status: "unreleased" }] });
    expect(await checkReleasedVersions(r.dir)).toEqual([]);
    rmSync(path.join(r.dir, "openapi/versions.json"));
    const run = await runWth(["check", "--root", r.dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("nothing to guard");
  });

  it("when a snapshot already exists, then writing it again is refused", async () => {
    const r = await released();
    const run = await runWth(["check", "--root", r.dir, "--write-snapshot", "2026-01-01"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("already exists");
  });

  it("when the snapshot is built twice, then it is byte-for-byte the same and carries the banner", async () => {
    const r = repo();
    const once = await buildReleaseSnapshot("2026-01-01", r.dir);
    expect(await buildReleaseSnapshot("2026-01-01", r.dir)).toBe(once);
    expect(JSON.parse(once)).toMatchObject({
      "//": expect.stringContaining("generated by wth from openapi/2026-01-01"),
      version: "2026-01-01",
      released_at: "2026-01-01",
      entry: "openapi.yaml",
      files: { "openapi.yaml": doc, "paths/things.yaml": things },
    });
  });
});

describe("this repository", () => {
  it("when wth check runs on the repository itself, then every released version is intact", async () => {
    const run = await runWth(["check"]);
    expect(run.stdout).not.toContain("FAIL");
    expect(run.code).toBe(0);
  });
});
