import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { readVersionList } from "../../server/versions/registry.ts";
import { compareFindings, type Finding } from "./findings.ts";
import { lintWithRedocly } from "./redocly.ts";
import { lintWithSpectral } from "./spectral.ts";

export { type Finding, formatFinding } from "./findings.ts";

/** Where the root file of a dated document lives, relative to the checkout. */
export function documentPath(version: string): string {
  return `openapi/${version}/openapi.yaml`;
}

export interface VersionLint {
  version: string;
  errors: Finding[];
  warnings: Finding[];
  /** Spectral's information and hints: shown, never failing. */
  notes: Finding[];
}

/**
 * Lints one dated document with Redocly (recommended + house rules) and Spectral (oas), plus
 * our own checks on the root file. `wth generate` calls this too, so both agree.
 */
export async function lintVersion(options: {
  root: string;
  version: string;
}): Promise<VersionLint> {
  const root = path.resolve(options.root);
  const file = documentPath(options.version);
  const findings: Finding[] = [];
  if (!existsSync(path.join(root, file))) {
    findings.push(
      ownFinding(
        file,
        `the document of version ${options.version} does not exist`,
        "document-exists",
      ),
    );
  } else {
    const [own, redocly, spectral] = await Promise.all([
      checkRootFile(root, options.version),
      lintWithRedocly(root, file),
      lintWithSpectral(root, file),
    ]);
    findings.push(...own, ...redocly, ...spectral);
  }
  // A shared component is reported once per operation that uses it: keep one of each.
  const unique = dedupe(findings.sort(compareFindings));
  return {
    version: options.version,
    errors: unique.filter((finding) => finding.severity === "error"),
    warnings: unique.filter((finding) => finding.severity === "warning"),
    notes: unique.filter((finding) => finding.severity === "info"),
  };
}

/**
 * The versions the registry lists, oldest first, as its owner (server/versions/registry.ts)
 * reads them; a missing or malformed registry throws a one-line error naming the file.
 */
export async function listedVersions(root: string): Promise<string[]> {
  return [...readVersionList(root).versions];
}

/**
 * Checks the linters cannot: `info.version` is the folder's date, written as a quoted string.
 * Unquoted, YAML 1.1 loaders (which many tools use) turn it into a Date object, and a server
 * validating against such a document fails every request.
 */
async function checkRootFile(root: string, version: string): Promise<Finding[]> {
  const file = documentPath(version);
  const text = await readFile(path.join(root, file), "utf8");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: "yaml-1.1" });
  if (doc.errors.length > 0) return []; // Redocly reports syntax errors with their position.
  const node = doc.getIn(["info", "version"], true) as { range?: [number, number] } | undefined;
  const value = doc.getIn(["info", "version"]);
  const position = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
  const at = { line: position?.line, column: position?.col, pointer: "#/info/version" };
  if (typeof value !== "string") {
    return [
      {
        ...ownFinding(
          file,
          `info.version must be the quoted string "${version}"`,
          "version-quoted",
        ),
        ...at,
      },
    ];
  }
  if (value !== version) {
    return [
      {
        ...ownFinding(
          file,
          `info.version is "${value}" but the document lives in openapi/${version}/`,
          "version-matches-folder",
        ),
        ...at,
      },
    ];
  }
  return [];
}

function dedupe(sorted: Finding[]): Finding[] {
  return sorted.filter(
    (finding, index) =>
      index === 0 ||
      compareFindings(sorted[index - 1] as Finding, finding) !== 0 ||
      sorted[index - 1]?.tool !== finding.tool,
  );
}

function ownFinding(file: string, message: string, rule: string): Finding {
  return { tool: "wth", severity: "error", rule, message, file };
}
