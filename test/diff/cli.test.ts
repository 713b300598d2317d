import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../../scripts/diff/types.ts";
import { editedRelease, removeTempDirs, runWth } from "./helpers.ts";

afterAll(removeTempDirs);

describe("wth diff on the command line", () => {
  it("when the revision is the released document itself, then it exits 0 and says there is no difference", async () => {
    const run = await runWth(["diff", editedRelease([]), editedRelease([])]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("0 breaking, 0 not breaking");
  });

  it("when a released field is removed, then it exits 1 and the JSON findings are plain data", async () => {
    const revision = editedRelease([
      {
        file: "components/schemas/OrderShipping.yaml",
        from: "  tracking_number:",
        to: "  tracking_no:",
      },
      {
        file: "components/schemas/OrderShipping.yaml",
        from: "[carrier, tracking_number]",
        to: "[carrier, tracking_no]",
      },
    ]);
    const before = editedRelease([]);
    const run = await runWth(["diff", before, revision, "--format", "json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { breaking: number; findings: Finding[] };
    expect(report.breaking).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(Object.keys(f).sort()).toEqual([
        "after",
        "before",
        "breaking",
        "category",
        "direction",
        "id",
        "level",
        "location",
        "message",
        "pointer",
        "rule",
      ]);
      expect(typeof f.location.pointer).toBe("string");
      // The field is gone from the revision: the finding points into the base only.
      if (f.rule === "response-property-removed")
        expect(f.pointer).toEqual({ base: f.location.pointer, revision: null });
      expect(f.location.operation ?? f.location.webhook ?? "document").not.toBe("");
    }
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);
    expect(report.findings.some((f) => f.rule === "response-property-removed")).toBe(true);
  });

  it("when --format md is asked for, then it prints a changelog section and --breaking-only hides the rest", async () => {
    const revision = editedRelease([
      {
        file: "components/parameters.yaml",
        from: "    maximum: 100\n    default: 20",
        to: "    maximum: 100\n    default: 25",
      },
    ]);
    const run = await runWth([
      "diff",
      editedRelease([]),
      revision,
      "--format",
      "md",
      "--breaking-only",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^## Changes from .* to .*\n\n### Breaking changes \(need a new dated version\)\n\n- The pagination parameter limit changed: default 20 → 25\. \(`pagination-limit-changed`; `GET \/v1\/customers`, /,
    );
    // One changelog line for the shared parameter, not one per list operation.
    expect(
      run.stdout
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("- ")),
    ).toHaveLength(1);
    expect(run.stdout).not.toContain("### Other changes");
  });

  it("when --format github is asked for, then each breaking finding is one ::error annotation and raising limit's maximum is only a notice", async () => {
    const revision = editedRelease([
      {
        file: "components/parameters.yaml",
        from: "    maximum: 100\n    default: 20",
        to: "    maximum: 200\n    default: 20",
      },
      {
        file: "components/schemas/OrderShipping.yaml",
        from: "  tracking_number:",
        to: "  tracking_no:",
      },
      {
        file: "components/schemas/OrderShipping.yaml",
        from: "[carrier, tracking_number]",
        to: "[carrier, tracking_no]",
      },
    ]);
    const run = await runWth(["diff", editedRelease([]), revision, "--format", "github"]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    const errors = lines.filter((l) => l.startsWith("::error title="));
    expect(errors.length).toBeGreaterThan(0);
    for (const l of errors) expect(l).toMatch(/^::error title=[^:]+::\S/);
    expect(errors.some((l) => l.includes("response-property-removed"))).toBe(true);
    expect(lines.some((l) => l.includes("pagination-limit-changed"))).toBe(false);
    expect(lines.some((l) => l.startsWith("::notice title=request-validation-relaxed"))).toBe(true);
    expect(lines.at(-1)).toMatch(/: \d+ breaking, \d+ not breaking$/);
  });

  it("when the arguments are wrong, then it exits 2 with the usage", async () => {
    const run = await runWth(["diff", path.join("only-one.yaml")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("usage: wth diff <base> <revision>");
  });
});
