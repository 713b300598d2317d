/**
 * Reads an OpenAPI document from a dated version, a file, a git revision or a release snapshot.
 * Redocly's resolver and bundler (`@redocly/openapi-core`) read and parse every file the `$ref`s
 * reach and bundle them into one document; `dereference.ts` then turns the bundle's internal refs
 * into one object graph for the comparison.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleDocument } from "./bundle.ts";
import { dereference } from "./dereference.ts";
import { DocumentReadError } from "./read-error.ts";

export { DocumentReadError } from "./read-error.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Where a document's files come from. Paths are POSIX paths in the reader's own namespace. */
export interface FileReader {
  /** How the files are named in messages (`git:HEAD~1:`, a snapshot name, or nothing). */
  prefix: string;
  read(file: string): string | undefined;
}

export interface DocumentSource {
  /** What the user typed, for reports. */
  label: string;
  reader: FileReader;
  entry: string;
}

export interface LoadedDocument {
  label: string;
  /** The document with every `$ref` replaced by its target. */
  root: Record<string, unknown>;
  /** Every file read, by path relative to the entry file's folder, with its exact text. */
  files: Map<string, string>;
  /** The component (schema name or split file name) each resolved `$ref` target came from. */
  components: WeakMap<object, string>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function fsReader(): FileReader {
  return {
    prefix: "",
    read(file) {
      return existsSync(file) ? readFileSync(file, "utf8") : undefined;
    },
  };
}

export function gitReader(ref: string, cwd: string = repoRoot): FileReader {
  let known = false;
  const checkRef = () => {
    if (known) return;
    try {
      execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
        cwd,
        stdio: "ignore",
      });
      known = true;
    } catch {
      throw new DocumentReadError(`git:${ref}`, undefined, `not a git revision in ${cwd}`);
    }
  };
  return {
    prefix: `git:${ref}:`,
    read(file) {
      try {
        return execFileSync("git", ["show", `${ref}:${file}`], {
          cwd,
          encoding: "utf8",
          maxBuffer: 512 * 1024 * 1024,
          stdio: ["ignore", "pipe", "ignore"],
        });
      } catch {
        // Tell a missing file from a revision that does not exist.
        checkRef();
        return undefined;
      }
    },
  };
}

export function mapReader(prefix: string, files: Record<string, string>): FileReader {
  return {
    prefix,
    read(file) {
      return Object.hasOwn(files, file) ? files[file] : undefined;
    },
  };
}

/** The entry file of a dated version, relative to the repository root. */
export function versionEntry(date: string): string {
  return `openapi/${date}/openapi.yaml`;
}

/**
 * Turns a command-line operand into a source: `2026-05-07`, `git:<ref>:<path or date>`, or a path.
 * A `git:` path is relative to the top of the repository that `cwd` is in, as `git show` reads it.
 */
export function parseSource(spec: string, cwd: string = process.cwd()): DocumentSource {
  const git = /^git:(.+?):(.+)$/.exec(spec);
  if (git !== null) {
    const ref = git[1] as string;
    const where = git[2] as string;
    const entry = DATE.test(where) ? versionEntry(where) : path.posix.normalize(where);
    return { label: spec, reader: gitReader(ref, cwd), entry };
  }
  if (DATE.test(spec)) {
    return { label: spec, reader: fsReader(), entry: path.join(repoRoot, versionEntry(spec)) };
  }
  return { label: spec, reader: fsReader(), entry: path.resolve(cwd, spec) };
}

/**
 * Loads one document: Redocly bundles every file its `$ref`s reach (YAML or JSON, OpenAPI 3.0 or
 * 3.1), then the bundle's internal refs become shared objects. Any failure is a DocumentReadError
 * naming the file, its line and the `$ref`'s pointer.
 */
export async function loadDocument(
  source: DocumentSource,
  options: { alwaysBundle?: boolean } = {},
): Promise<LoadedDocument> {
  const { reader, entry } = source;
  const bundled = await bundleDocument(reader, entry, options);
  let graph: ReturnType<typeof dereference>;
  try {
    graph = dereference(bundled.root, `${reader.prefix}${entry}`);
  } catch (error) {
    // A broken internal ref of a document that needed no bundling: Redocly's bundler reports it
    // with its file and line; failing that, the message names its pointer.
    if (error instanceof DocumentReadError && !bundled.bundled) {
      await bundleDocument(reader, entry, { alwaysBundle: true });
    }
    throw error;
  }
  const { root, components } = graph;
  const base = path.posix.dirname(source.entry);
  const files = new Map<string, string>();
  for (const [file, text] of bundled.texts) files.set(path.posix.relative(base, file), text);
  return { label: source.label, root, files, components };
}
