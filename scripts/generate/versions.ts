/**
 * Generation's view of the version list. server/versions/registry.ts owns the file and its rules;
 * this only turns a registry error into generation's Problem shape.
 */
import {
  readVersionList,
  VERSIONS_FILE,
  type VersionEntry,
  type VersionList,
  VersionRegistryError,
} from "../../server/versions/registry.ts";
import { GenerateError } from "./problems.ts";

export { VERSIONS_FILE, type VersionEntry, type VersionList };

/** The version list of the repository at `root`; a bad registry is a GenerateError naming it. */
export async function loadVersionList(root: string): Promise<VersionList> {
  try {
    return readVersionList(root);
  } catch (error) {
    if (!(error instanceof VersionRegistryError)) throw error;
    throw new GenerateError([
      {
        file: error.file,
        line: error.position?.line,
        column: error.position?.column,
        message: error.detail,
        rule: error.position === undefined ? "versions-registry" : "json-syntax",
      },
    ]);
  }
}

/** The registry's entries, oldest first. */
export async function loadVersions(root: string): Promise<readonly VersionEntry[]> {
  return (await loadVersionList(root)).entries;
}
