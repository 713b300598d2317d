import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where this tool's own repository lives (not the --root being generated, which tests vary). */
export const TOOL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const GENERATE_DIR = path.join(TOOL_ROOT, "scripts/generate");
export const PIPELINE_REDOCLY_CONFIG = path.join(GENERATE_DIR, "redocly.yaml");

const require = createRequire(import.meta.url);

export const REDOCLY_CLI_DIR = path.dirname(require.resolve("@redocly/cli/package.json"));
export const REDOCLY_CLI_BIN = path.join(REDOCLY_CLI_DIR, "bin/cli.js");

function packageVersion(packageJsonPath: string): string {
  return (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { version: string }).version;
}

/** The installed versions of the generators, as recorded in MANIFEST.json. */
export function generatorVersions(): Record<string, string> {
  // openapi-typescript's exports map hides package.json; find it next to the resolved entry.
  const otsEntry = require.resolve("openapi-typescript");
  const otsPackage = path.join(path.dirname(otsEntry), "../package.json");
  return {
    "@redocly/cli": packageVersion(path.join(REDOCLY_CLI_DIR, "package.json")),
    "openapi-typescript": packageVersion(otsPackage),
    wth: packageVersion(path.join(TOOL_ROOT, "package.json")),
  };
}
