import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { diffObjects } from "../../scripts/diff/diff.ts";
import { renderJson } from "../../scripts/diff/render.ts";
import { rules } from "../../scripts/diff/rules/index.ts";
import { levelOf } from "../../scripts/diff/types.ts";
import { repoRoot } from "./helpers.ts";

const validReport = new Ajv2020({ strict: true }).compile(
  JSON.parse(readFileSync(path.join(repoRoot, "docs/diff-report.schema.json"), "utf8")) as object,
);

const table = rules.flatMap((rule) => rule.cases.map((c) => ({ rule, ...c })));

describe("every rule's table of cases", () => {
  it.each(table)("$rule.id: $when", async ({ before, after, expect: want }) => {
    const result = await diffObjects(before, after);
    expect(result.findings.map((f) => f.rule).sort()).toEqual([...want].sort());
    for (const f of result.findings) {
      const own = rules.find((r) => r.id === f.rule);
      expect(f.breaking).toBe(own?.breaking);
      expect(f.category).toBe(own?.category);
      expect(f.level).toBe(own === undefined ? undefined : levelOf(own));
    }
    const report = JSON.parse(renderJson(result)) as unknown;
    expect(validReport(report), JSON.stringify(validReport.errors)).toBe(true);
  });
});

describe("the rule registry", () => {
  it("when the rules folder is listed, then every rule file is named by its id and registered", () => {
    const files = readdirSync(path.join(repoRoot, "scripts/diff/rules"))
      .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "fixtures.ts")
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(rules.map((r) => r.id).sort()).toEqual(files);
  });

  it("when rules are registered, then ids are unique and each rule shows itself in at least one case", () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(
        r.cases.some((c) => c.expect.includes(r.id)),
        r.id,
      ).toBe(true);
    }
  });

  it("when the corpus is counted, then it holds well over 80 before/after pairs", () => {
    expect(table.length).toBeGreaterThanOrEqual(80);
  });
});
