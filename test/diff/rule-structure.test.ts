/**
 * Each rule is in one place: its file holds its detection (visitors) and its table of cases,
 * and no other file of the diff names it. These tests fail when detection leaks back into a
 * walker or a helper, or when a rule is registered without detection or without a case.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffDocuments } from "../../scripts/diff/compare-document.ts";
import { loadObject } from "../../scripts/diff/diff.ts";
import { rules } from "../../scripts/diff/rules/index.ts";
import type { Rule } from "../../scripts/diff/types.ts";
import { repoRoot } from "./helpers.ts";

const diffDir = path.join(repoRoot, "scripts/diff");
const ids = new Set(rules.map((r) => r.id));

/** Every registered rule id written as a string literal in `text`. */
function ruleIdLiterals(text: string): string[] {
  return [...text.matchAll(/["'`]([a-z0-9]+(?:-[a-z0-9]+)+)["'`]/g)]
    .map((m) => m[1] as string)
    .filter((s) => ids.has(s));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/** The ids a case table expects, run with `registered` only. */
async function foundIds(rule: Rule, registered: readonly Rule[]): Promise<string[]> {
  const found: string[] = [];
  for (const c of rule.cases) {
    const [base, revision] = await Promise.all([
      loadObject("base", c.before),
      loadObject("revision", c.after),
    ]);
    found.push(
      ...diffDocuments(base, revision, { inferRenames: false, rules: registered }).map(
        (f) => f.rule,
      ),
    );
  }
  return found;
}

describe("where each rule lives", () => {
  it("when the registry is read, then every rule has at least one visitor and a case that expects it", () => {
    for (const r of rules) {
      const visitors = Object.values(r.visit).filter((v) => typeof v === "function");
      expect(visitors.length, `${r.id} has no detection`).toBeGreaterThan(0);
      expect(
        r.cases.some((c) => c.expect.includes(r.id)),
        `${r.id} has no case that expects it`,
      ).toBe(true);
    }
  });

  it("when a rule's own visitors are left out, then none of its cases reports it any more", async () => {
    for (const r of rules) {
      expect(await foundIds(r, rules), `${r.id} with every rule`).toContain(r.id);
      const without = rules.map((x) => (x === r ? { ...x, visit: {} } : x));
      expect(await foundIds(r, without), `${r.id} reported from outside its file`).not.toContain(
        r.id,
      );
    }
  });

  it("when the scanner reads a planted rule id, then it finds it (so the next test can fail)", () => {
    expect(ruleIdLiterals(`f.add({ rule: "operation-removed", pointer })`)).toEqual([
      "operation-removed",
    ]);
    expect(ruleIdLiterals("const kind = `request-max-decreased`;")).toEqual([
      "request-max-decreased",
    ]);
    expect(ruleIdLiterals(`const family = "error codes"; const k = "not-a-rule";`)).toEqual([]);
  });

  it("when scripts/diff outside rules/ is scanned, then no file names a rule id", () => {
    const outside = sourceFiles(diffDir).filter(
      (f) => !f.startsWith(path.join(diffDir, "rules") + path.sep),
    );
    expect(outside.length).toBeGreaterThan(10);
    const named = outside.flatMap((f) =>
      ruleIdLiterals(readFileSync(f, "utf8")).map((id) => `${path.relative(repoRoot, f)}: ${id}`),
    );
    expect(named).toEqual([]);
  });

  it("when a rule file's detection is scanned, then the only id it writes is its own `id:`", () => {
    // Above `cases:` a rule file holds its id and its visitors; the dispatcher stamps each
    // finding with the reporting rule, so no visitor writes an id, its own or another's.
    for (const r of rules) {
      const text = readFileSync(path.join(diffDir, "rules", `${r.id}.ts`), "utf8");
      const detection = text.slice(0, text.indexOf("\n  cases: ["));
      expect(detection, r.id).toContain(`id: "${r.id}"`);
      expect(ruleIdLiterals(detection), r.id).toEqual([r.id]);
    }
  });
});
