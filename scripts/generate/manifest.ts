import { createHash } from "node:crypto";
import { stringifyJson } from "./canonical-json.ts";

export const MANIFEST_PATH = "generated/MANIFEST.json";

/**
 * `generated/MANIFEST.json`: what produced the committed artifacts. No timestamps, so it is as
 * reproducible as the files it describes.
 */
export interface Manifest {
  "x-generated": string;
  /** Installed generator versions, plus `wth-generate`: a hash of scripts/generate itself. */
  generators: Record<string, string>;
  versions: Record<string, ManifestVersion>;
}

export interface ManifestVersion {
  title: string;
  source: { path: string; sha256: string };
  /** Output path → sha256 of the bytes generation produced. */
  files: Record<string, string>;
}

export function sha256(contents: string | Buffer): string {
  return createHash("sha256").update(contents).digest("hex");
}

/** Reads a manifest leniently: a missing or mangled one only means "nothing can be reused". */
export function parseManifest(bytes: Buffer | undefined): Manifest | undefined {
  if (bytes === undefined) return undefined;
  try {
    const value = JSON.parse(bytes.toString("utf8")) as Manifest;
    if (typeof value.generators !== "object" || typeof value.versions !== "object")
      return undefined;
    return value;
  } catch {
    return undefined;
  }
}

export function renderManifest(manifest: Manifest): string {
  return stringifyJson(manifest);
}

export function sameGenerators(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
