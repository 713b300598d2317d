/**
 * The client package's npm version: the document's date plus the number of additive changes since
 * its release snapshot, counted the way `wth check` diffs them, on a copy of the real document.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  additiveSinceRelease,
  clientPackageVersion,
} from "../../scripts/generate/client/package-version.ts";
import { REPO_ROOT } from "./helpers/processes.ts";

const VERSION = "2026-05-07";
/** semver.org's pattern for a release version without pre-release or build parts. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function semverOrder(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

describe("clientPackageVersion", () => {
  it("when given a date and a count, then it is valid semver: year, month*100+day, count", () => {
    expect(clientPackageVersion("2026-05-07", 0)).toBe("2026.507.0");
    expect(clientPackageVersion("2026-12-31", 12)).toBe("2026.1231.12");
    expect(clientPackageVersion("2027-01-01", 3)).toBe("2027.101.3");
    for (const v of ["2026.507.0", "2026.1231.12", "2027.101.3"]) expect(v).toMatch(SEMVER);
  });

  it("when versions are sorted as semver, then they sort by date first, then by count", () => {
    const inputs: [string, number][] = [
      ["2027-01-01", 0],
      ["2026-05-07", 10],
      ["2026-12-31", 1],
      ["2026-05-07", 9],
      ["2026-05-10", 0],
    ];
    const sorted = inputs.map(([d, n]) => clientPackageVersion(d, n)).sort(semverOrder);
    expect(sorted).toEqual([
      "2026.507.9",
      "2026.507.10",
      "2026.510.0",
      "2026.1231.1",
      "2027.101.0",
    ]);
  });

  it("when the date or the count is malformed, then it throws naming the value", () => {
    expect(() => clientPackageVersion("2026-5-7", 0)).toThrow(/"2026-5-7" is not a date/);
    expect(() => clientPackageVersion("2026-05-07", -1)).toThrow(/-1 is not a whole number/);
  });
});

describe("additiveSinceRelease on a copy of the document", () => {
  let root: string;
  const integration = () => path.join(root, "openapi", VERSION, "paths", "integration.yaml");

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "wth-package-version-"));
    await cp(path.join(REPO_ROOT, "openapi"), path.join(root, "openapi"), { recursive: true });
  });

  afterAll(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it("when a new response header lands on several responses, then the count grows by one", async () => {
    const before = await additiveSinceRelease(root, VERSION);
    const text = await readFile(integration(), "utf8");
    const blocks = text.split("        headers:\n").length - 1;
    expect(blocks).toBeGreaterThan(1);
    await writeFile(
      integration(),
      text.replaceAll(
        "        headers:\n",
        "        headers:\n          X-Trace-Note:\n            schema:\n              type: string\n",
      ),
    );
    expect(await additiveSinceRelease(root, VERSION)).toBe(before + 1);
  });

  it("when the version has no release snapshot, then nothing counts as added since release", async () => {
    await rm(path.join(root, "openapi", "snapshots", `${VERSION}.json`));
    expect(await additiveSinceRelease(root, VERSION)).toBe(0);
  });
});
