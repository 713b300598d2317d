/**
 * Public OpenAPI documents of another API, taken from the npm registry for the diff's tests:
 * releases of @octokit/openapi (GitHub's REST API, 12 MB each). They are cached under the system
 * temp folder, never in the repository, and reused when present.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const cacheDir = path.join(tmpdir(), "wth-diff-public-documents");

/** The file GitHub's package ships its OpenAPI 3.0 description as (no 3.1 variant since v19). */
const OCTOKIT_FILE = "package/generated/api.github.com.json";

/** Path of `@octokit/openapi@<version>`'s api.github.com.json, fetched with `npm pack` once. */
export function octokitDocument(version: string): string {
  const target = path.join(cacheDir, `octokit-openapi-${version}.json`);
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(path.join(cacheDir, "fetch-"));
  try {
    const tarball = execFileSync(
      "npm",
      ["pack", `@octokit/openapi@${version}`, "--pack-destination", work, "--silent"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 180_000 },
    )
      .trim()
      .split("\n")
      .pop() as string;
    execFileSync("tar", ["xzf", path.join(work, tarball), "-C", work, OCTOKIT_FILE]);
    // Renamed into place last, so an interrupted fetch never leaves a half-written cache entry.
    renameSync(path.join(work, OCTOKIT_FILE), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}

type Json = Record<string, unknown>;

/**
 * Rewrites an OpenAPI 3.0 document in 3.1's spelling with the same meaning: `nullable: true`
 * becomes a "null" type or alternative, a boolean exclusive bound becomes a number.
 */
export function toOpenApi31(document: Json): Json {
  const convert = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(convert);
    if (value === null || typeof value !== "object") return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(value as Json)) {
      out[k] = k.startsWith("x-") || k === "example" || k === "examples" ? v : convert(v);
    }
    for (const [flag, bound] of [
      ["exclusiveMinimum", "minimum"],
      ["exclusiveMaximum", "maximum"],
    ] as const) {
      if (out[flag] === true && typeof out[bound] === "number") {
        out[flag] = out[bound];
        delete out[bound];
      } else if (out[flag] === false) delete out[flag];
    }
    if (out.nullable === undefined) return out;
    const nullable = out.nullable === true;
    delete out.nullable;
    if (!nullable) return out;
    if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
    for (const alternatives of ["oneOf", "anyOf"] as const) {
      const list = out[alternatives];
      if (Array.isArray(list)) return { ...out, [alternatives]: [...list, { type: "null" }] };
    }
    if (out.$ref !== undefined || out.allOf !== undefined) {
      const { description, ...rest } = out;
      const wrapped: Json = { anyOf: [rest, { type: "null" }] };
      if (description !== undefined) wrapped.description = description;
      return wrapped;
    }
    return out; // `nullable` with no type restricts nothing: any value, null included.
  };
  return { ...(convert(document) as Json), openapi: "3.1.0" };
}
