/**
 * `wth mint <date>`: starts a new dated version. It copies the newest version's document to
 * `openapi/<date>/`, sets its `info.version`, scaffolds `server/versions/changes/<date>/` and
 * adds it to the bundle, and registers the version as unreleased. Nothing is served from it
 * until `wth release <date>`.
 */
import fs from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import {
  isCalendarDate,
  readRegistry,
  VersionCommandError,
  writeRegistry,
} from "./registry-file.ts";

export const BUNDLE_FILE = "server/versions/changes/index.ts";
const IMPORTS_MARKER = "// wth:mint:imports";
const ENTRIES_MARKER = "// wth:mint:entries";

export interface MintResult {
  version: string;
  from: string;
  created: string[];
}

/** `2026-09-01` → `changes_2026_09_01`, the bundle's import name for a date. */
export function importNameOf(date: string): string {
  return `changes_${date.replaceAll("-", "_")}`;
}

function scaffold(date: string): string {
  return `/**
 * The version changes of API ${date}: one file per breaking change, named after its id
 * (see docs/minting.md). Each file exports a change made with defineVersionChange; list it here.
 */
import type { VersionChange } from "../../change.ts";

export const changes: VersionChange[] = [];
`;
}

/**
 * Sets `info.version` (and the header comment naming the version). A line edit keeps the rest
 * of the file byte for byte; the YAML API is the fallback for an unusual layout.
 */
function setInfoVersion(entry: string, from: string, date: string): void {
  const text = fs.readFileSync(entry, "utf8");
  const line = new RegExp(`^(\\s+version:\\s*)["']?${from}["']?[ \\t]*$`, "m");
  if (line.test(text)) {
    const edited = text
      .replace(line, `$1"${date}"`)
      .replace(`version ${from}.`, `version ${date}.`);
    if (parseDocument(edited).getIn(["info", "version"]) === date) {
      fs.writeFileSync(entry, edited);
      return;
    }
  }
  const doc = parseDocument(text);
  const version = doc.createNode(date);
  // A quoted string: unquoted, a YAML loader would read the date as a Date.
  (version as { type?: string }).type = "QUOTE_DOUBLE";
  doc.setIn(["info", "version"], version);
  fs.writeFileSync(entry, doc.toString({ flowCollectionPadding: false, lineWidth: 100 }));
}

export function mintVersion(root: string, date: string): MintResult {
  if (!isCalendarDate(date)) {
    throw new VersionCommandError(
      `"${date}" is not a date: a version is written YYYY-MM-DD, e.g. 2026-09-01`,
    );
  }
  const records = readRegistry(root);
  const newest = records.at(-1);
  if (newest === undefined) throw new VersionCommandError("openapi/versions.json lists no version");
  if (records.some((r) => r.version === date) || fs.existsSync(path.join(root, "openapi", date))) {
    throw new VersionCommandError(`version ${date} already exists (openapi/${date}/)`);
  }
  if (date <= newest.version) {
    throw new VersionCommandError(
      `${date} is not after the newest version ${newest.version}: a new version must be dated later`,
    );
  }
  if (newest.status === "unreleased") {
    throw new VersionCommandError(
      `${newest.version} is not released yet: release it ("wth release ${newest.version}") or add your changes to it`,
    );
  }

  const bundlePath = path.join(root, BUNDLE_FILE);
  const bundle = fs.readFileSync(bundlePath, "utf8");
  if (!bundle.includes(IMPORTS_MARKER) || !bundle.includes(ENTRIES_MARKER)) {
    throw new VersionCommandError(
      `${BUNDLE_FILE} lost its "${IMPORTS_MARKER}" / "${ENTRIES_MARKER}" markers; restore them`,
    );
  }

  const source = path.join(root, "openapi", newest.version);
  const target = path.join(root, "openapi", date);
  fs.cpSync(source, target, { recursive: true, errorOnExist: true });
  setInfoVersion(path.join(target, "openapi.yaml"), newest.version, date);

  const changesDir = path.join(root, "server", "versions", "changes", date);
  fs.mkdirSync(changesDir, { recursive: true });
  fs.writeFileSync(path.join(changesDir, "index.ts"), scaffold(date));
  const name = importNameOf(date);
  fs.writeFileSync(
    bundlePath,
    bundle
      .replace(
        IMPORTS_MARKER,
        `import { changes as ${name} } from "./${date}/index.ts";\n${IMPORTS_MARKER}`,
      )
      .replace(ENTRIES_MARKER, `{ version: "${date}", changes: ${name} },\n  ${ENTRIES_MARKER}`),
  );

  writeRegistry(root, [...records, { version: date, status: "unreleased", released_at: null }]);
  return {
    version: date,
    from: newest.version,
    created: [`openapi/${date}/`, `server/versions/changes/${date}/index.ts`],
  };
}

export function nextSteps(result: MintResult): string {
  const d = result.version;
  return `Minted ${d} from ${result.from} (unreleased; integrations still pin to ${result.from}).
Created ${result.created.join(", ")}; registered in openapi/versions.json and ${BUNDLE_FILE}.

Next steps (docs/minting.md):
  1. Edit openapi/${d}/ and the handlers so they speak ${d}.
  2. wth diff ${result.from} ${d}          # every breaking finding needs a version change
  3. wth changes scaffold ${d}             # writes the declarations the findings imply; review them
  4. wth additive apply ${d}               # port non-breaking additions to older versions
  5. wth generate && wth check             # fails on an uncovered change or a failing proof
  6. wth release ${d} && wth generate      # pin new integrations to ${d}
`;
}
