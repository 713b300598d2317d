/**
 * A finding's level is its rule's: error when breaking, warning when an integrator must act on a
 * change that does not break (a deprecation, a meaning change), info otherwise, unless the rule
 * sets its own. The GitHub annotations follow the level, so the two cannot disagree.
 */
import { describe, expect, it } from "vitest";
import { diffObjects } from "../../scripts/diff/diff.ts";
import { renderGithub } from "../../scripts/diff/render.ts";
import { rules } from "../../scripts/diff/rules/index.ts";
import { levelOf } from "../../scripts/diff/types.ts";

const ANNOTATION = { error: "error", warning: "warning", info: "notice" } as const;

describe("finding levels", () => {
  it("when a rule is breaking, then its level is error; when it is a deprecation, warning; an addition, info", () => {
    const level = (id: string) => {
      const r = rules.find((x) => x.id === id);
      return r === undefined ? undefined : levelOf(r);
    };
    expect(level("operation-removed")).toBe("error");
    expect(level("marked-deprecated")).toBe("warning");
    expect(level("operation-added")).toBe("info");
    expect(level("documentation-changed")).toBe("info");
  });

  it("when a rule sets its own level, then that level wins over the one derived from its category", () => {
    expect(levelOf({ breaking: false, category: "addition", level: "warning" })).toBe("warning");
    expect(levelOf({ breaking: false, category: "meaning" })).toBe("warning");
    expect(levelOf({ breaking: true, category: "deprecation" })).toBe("error");
  });

  it("when every rule case is rendered for GitHub, then each annotation's command is its finding's level", async () => {
    let seen = 0;
    for (const r of rules)
      for (const c of r.cases) {
        const result = await diffObjects(c.before, c.after);
        const lines = renderGithub(result).trim().split("\n").slice(0, -1);
        const shown = result.findings.filter((f) => f.category !== "documentation");
        expect(lines).toHaveLength(shown.length);
        shown.forEach((f, i) => {
          expect(lines[i]?.startsWith(`::${ANNOTATION[f.level]} title=${f.rule} `)).toBe(true);
          seen++;
        });
      }
    expect(seen).toBeGreaterThan(80);
  });

  it("when a field is marked deprecated, then the GitHub format warns rather than notes", async () => {
    const c = rules.find((r) => r.id === "marked-deprecated")?.cases[0];
    const result = c === undefined ? undefined : await diffObjects(c.before, c.after);
    expect(result?.findings.map((f) => f.level)).toEqual(["warning"]);
    expect(result === undefined ? "" : renderGithub(result)).toMatch(
      /^::warning title=marked-deprecated /,
    );
  });
});
