/**
 * The guarantee behind releasing a version: every breaking finding of `wth diff <previous>
 * <date>` is answered by a version change of `<date>`, so that integrations pinned to older
 * versions are converted rather than broken. The same walk finds non-breaking additions that
 * older documents still lack (the contract says pinned versions get them too).
 *
 * A change answers a finding by meaning, through its declarations (server/versions/
 * declarations.ts: the finding's rule, schema, field, operation or event), or, for hand-written
 * changes, by its exact id (`response-property-renamed:2336f810d2`) or by a
 * selector `<rule>:<target>` that covers every place the same change shows up: the target is
 * `<Schema>.<property>`, `<Schema>` (enum and whole-schema findings), an operation
 * (`POST /v1/listings/{listing_id}/archive`) or a webhook name.
 */
import fs from "node:fs";
import path from "node:path";
import type { VersionBundle, VersionChange } from "../../server/versions/change.ts";
import type { HopDocuments } from "../../server/versions/declarations.ts";
import { diffDocuments } from "../diff/compare-document.ts";
import { type DiffResult, summarise } from "../diff/diff.ts";
import { fsReader, loadDocument, versionEntry } from "../diff/load.ts";
import type { Finding } from "../diff/types.ts";
import { readRegistry } from "./registry-file.ts";

/**
 * The non-breaking additions DESIGN.md says ship into every version: a new endpoint, optional
 * request field or parameter, response field or header, event type, error code.
 */
export const SHIPS_TO_EVERY_VERSION = new Set([
  "operation-added",
  "webhook-added",
  "response-property-added",
  "optional-request-property-added",
  "optional-parameter-added",
  "response-header-added",
  "error-code-added",
]);

/**
 * Findings an older version cannot absorb without a version change. The diff calls a new
 * response enum value non-breaking, but an integration pinned to a version whose document lacks
 * the value would receive a value its document does not have: it needs a declaration mapping it
 * to an old value, so the guarantee counts it as breaking.
 */
export function needsVersionChange(finding: Finding): boolean {
  return finding.breaking || finding.rule === "response-enum-value-added";
}

/** The place a finding is about, as a selector names it. */
export function targetOf(finding: Finding): string {
  const { component, operation, webhook, pointer } = finding.location;
  const segments = pointer.split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (component !== undefined) {
    const name = component.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
    const last = segments.at(-1);
    if (segments.at(-2) === "properties" && last !== undefined) return `${name}.${last}`;
    return name;
  }
  return operation ?? webhook ?? pointer;
}

export function selectorOf(finding: Finding): string {
  return `${finding.rule}:${targetOf(finding)}`;
}

const NO_DOCUMENTS: HopDocuments = { older: undefined, newer: undefined };

export function answers(
  change: VersionChange,
  finding: Finding,
  docs: HopDocuments = NO_DOCUMENTS,
): boolean {
  return (
    (change.answers ?? []).some((a) => a === finding.id || a === selectorOf(finding)) ||
    (change.declarations ?? []).some((d) => d.answers(finding, docs))
  );
}

/** The bundled documents of a hop, where `wth generate` has written them. */
export function hopDocuments(root: string, previous: string, version: string): HopDocuments {
  const read = (v: string) => {
    const file = path.join(root, "generated", v, "openapi.json");
    return fs.existsSync(file)
      ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>)
      : undefined;
  };
  return { older: read(previous), newer: read(version) };
}

export interface UnansweredGroup {
  selector: string;
  breaking: boolean;
  message: string;
  findings: Finding[];
}

export interface VersionCoverage {
  version: string;
  previous: string;
  diff: DiffResult;
  /** Breaking findings no version change of `version` answers: releasing would break pins. */
  uncovered: UnansweredGroup[];
  /** Additions `previous` lacks and no version change explains: port them to older versions. */
  unported: UnansweredGroup[];
  /**
   * `answers` entries and declarations that match no finding (a typo, or a change the document
   * no longer has).
   */
  stale: Array<{ change: string; answer: string }>;
}

function group(findings: Finding[]): UnansweredGroup[] {
  const groups = new Map<string, UnansweredGroup>();
  for (const f of findings) {
    const selector = selectorOf(f);
    const g = groups.get(selector) ?? {
      selector,
      breaking: needsVersionChange(f),
      message: f.message,
      findings: [],
    };
    g.findings.push(f);
    groups.set(selector, g);
  }
  return [...groups.values()];
}

export async function diffVersions(
  root: string,
  previous: string,
  version: string,
): Promise<DiffResult> {
  const load = (date: string) =>
    loadDocument({ label: date, reader: fsReader(), entry: path.join(root, versionEntry(date)) });
  const [before, after] = await Promise.all([load(previous), load(version)]);
  return summarise(previous, version, diffDocuments(before, after));
}

/** Coverage of one version against the one before it. */
export async function coverageOf(
  root: string,
  bundle: VersionBundle,
  previous: string,
  version: string,
): Promise<VersionCoverage> {
  const diff = await diffVersions(root, previous, version);
  const changes = bundle.find((d) => d.version === version)?.changes ?? [];
  const docs = hopDocuments(root, previous, version);
  const answered = (f: Finding) => changes.some((c) => answers(c, f, docs));
  const uncovered = diff.findings.filter((f) => needsVersionChange(f) && !answered(f));
  const unported = diff.findings.filter(
    (f) => !f.breaking && SHIPS_TO_EVERY_VERSION.has(f.rule) && !answered(f),
  );
  const stale: VersionCoverage["stale"] = [];
  for (const change of changes) {
    for (const answer of change.answers ?? []) {
      const hit = diff.findings.some((f) => answer === f.id || answer === selectorOf(f));
      if (!hit) stale.push({ change: change.id, answer });
    }
    for (const d of change.declarations ?? []) {
      if (!diff.findings.some((f) => d.answers(f, docs))) {
        stale.push({ change: change.id, answer: d.source });
      }
    }
  }
  return { version, previous, diff, uncovered: group(uncovered), unported: group(unported), stale };
}

/** Coverage of every version after the first, oldest first. */
export async function checkCoverage(
  root: string,
  bundle: VersionBundle,
): Promise<VersionCoverage[]> {
  const records = readRegistry(root);
  const out: VersionCoverage[] = [];
  for (let i = 1; i < records.length; i++) {
    const prev = records[i - 1]?.version as string;
    const cur = records[i]?.version as string;
    out.push(await coverageOf(root, bundle, prev, cur));
  }
  return out;
}

export function coverageOk(c: VersionCoverage): boolean {
  return c.uncovered.length === 0 && c.unported.length === 0 && c.stale.length === 0;
}

/** The report `wth check` and `wth release` print for one version. */
export function renderCoverage(c: VersionCoverage): string {
  const lines: string[] = [];
  const where = (g: UnansweredGroup) => {
    const places = g.findings.map((f) => f.location.operation ?? f.location.webhook ?? "");
    const unique = [...new Set(places)].filter((p) => p !== "");
    return unique.length > 3
      ? `${unique.slice(0, 3).join(", ")} and ${unique.length - 3} more`
      : unique.join(", ");
  };
  for (const g of c.uncovered) {
    lines.push(`UNCOVERED BREAKING  ${g.selector}  (${g.findings.length}× : ${where(g)})`);
    lines.push(`    ${g.message}`);
  }
  if (c.uncovered.length > 0) {
    lines.push(
      `    → declare each change in server/versions/changes/${c.version}/ ("wth changes scaffold ${c.version}" writes the declarations these findings imply)`,
    );
  }
  for (const g of c.unported) {
    lines.push(`NOT IN ${c.previous}  ${g.selector}  (${g.findings.length}× : ${where(g)})`);
    lines.push(`    ${g.message}`);
  }
  if (c.unported.length > 0) {
    lines.push(
      `    → a non-breaking addition reaches every version: run "wth additive apply ${c.version}" (or answer it with a version change if it is part of one)`,
    );
  }
  for (const s of c.stale) {
    lines.push(
      `STALE ANSWER  version change "${s.change}" answers "${s.answer}", which wth diff ${c.previous} ${c.version} does not report`,
    );
  }
  return lines.join("\n");
}
