import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { rules } from "../../scripts/diff/rules/index.ts";
import { type Finding, levelOf } from "../../scripts/diff/types.ts";
import { repoRoot } from "./helpers.ts";

const doc = readFileSync(path.join(repoRoot, "docs/diff.md"), "utf8");

describe("docs/diff.md", () => {
  it("when the rules table is read, then it lists every rule with its breaking flag, level and summary", () => {
    for (const r of rules) {
      expect(doc).toContain(
        `| \`${r.id}\` | ${r.breaking ? "**breaking**" : "no"} | ${r.category} | ${levelOf(r)} | ${r.summary} |`,
      );
    }
  });

  it("when the sample finding is read, then it is exactly a finding of the golden pair it names", () => {
    const sample = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? "null") as Finding;
    const golden = JSON.parse(
      readFileSync(
        path.join(repoRoot, "test/diff/golden/create-listing-tightened.json.golden"),
        "utf8",
      ),
    ) as { findings: Finding[] };
    expect(golden.findings).toContainEqual(sample);
  });

  it("when every golden JSON report is checked against docs/diff-report.schema.json, then each one is valid", () => {
    const schema = JSON.parse(
      readFileSync(path.join(repoRoot, "docs/diff-report.schema.json"), "utf8"),
    ) as Record<string, unknown>;
    const validate = new Ajv2020({ strict: true }).compile(schema);
    const dir = path.join(repoRoot, "test/diff/golden");
    const reports = readdirSync(dir).filter((f) => f.endsWith(".json.golden"));
    expect(reports.length).toBeGreaterThan(0);
    for (const file of reports) {
      const report = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as unknown;
      expect(validate(report), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
