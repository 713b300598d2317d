/**
 * Reads an OpenAPI document from a dated version, a file, a git revision or a release snapshot,
 * and resolves every `$ref` (relative files and in-document pointers) into one object graph.
 * Shared targets stay shared objects, so cycles become cycles in the graph, never infinite copies.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A document could not be read: the CLI exits 2 and prints the file and line. */
export class DocumentReadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${reason}`);
    this.name = "DocumentReadError";
  }
}

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

const DOC_KEYS = new Set(["description", "summary", "title", "example", "examples", "$comment"]);

function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  return at < 0 ? undefined : text.slice(0, at).split("\n").length;
}

function lineAtOffset(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

/** `#/paths/~1x/get` for the keys walked so far in one file. */
function pointerOf(at: readonly string[]): string {
  return `#${at.map((k) => `/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("")}`;
}

function decodePointer(fragment: string): string[] {
  if (fragment === "" || fragment === "/") return [];
  return fragment
    .replace(/^\//, "")
    .split("/")
    .map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~"));
}

function componentNameOf(file: string, pointer: string[]): string {
  const last = pointer[pointer.length - 1];
  if (last !== undefined) return last;
  return path.posix.basename(file).replace(/\.(ya?ml|json)$/, "");
}

export function loadDocument(source: DocumentSource): LoadedDocument {
  const { reader } = source;
  const parsed = new Map<string, unknown>();
  const texts = new Map<string, string>();
  const resolved = new Map<string, unknown>();
  const components = new WeakMap<object, string>();
  const display = (file: string) => `${reader.prefix}${file}`;

  function parseFile(file: string, from?: { file: string; ref: string }): unknown {
    if (parsed.has(file)) return parsed.get(file);
    const text = reader.read(file);
    if (text === undefined) {
      if (from === undefined) throw new DocumentReadError(display(file), undefined, "no such file");
      const fromText = texts.get(from.file) ?? "";
      throw new DocumentReadError(
        display(from.file),
        lineOf(fromText, from.ref),
        `$ref "${from.ref}" points to a missing file ${display(file)}`,
      );
    }
    texts.set(file, text);
    let value: unknown;
    if (file.endsWith(".json")) {
      try {
        value = JSON.parse(text);
      } catch (error) {
        const m = /position (\d+)/.exec(String(error));
        const line = m === null ? undefined : lineAtOffset(text, Number(m[1]));
        throw new DocumentReadError(
          display(file),
          line,
          `invalid JSON: ${(error as Error).message}`,
        );
      }
    } else {
      const doc = parseDocument(text, { uniqueKeys: true, merge: false });
      const first = doc.errors[0];
      if (first !== undefined) {
        const line = first.linePos?.[0]?.line;
        const reason = first.message.split("\n")[0] ?? first.message;
        throw new DocumentReadError(display(file), line, `invalid YAML: ${reason}`);
      }
      value = doc.toJS({ maxAliasCount: -1 });
    }
    parsed.set(file, value);
    return value;
  }

  function locate(
    ref: string,
    file: string,
    at: readonly string[],
  ): { file: string; pointer: string[]; node: unknown } {
    // Built only on failure: this runs once per $ref of a 12 MB document.
    const where = () => ` (the $ref at ${pointerOf(at)})`;
    const hash = ref.indexOf("#");
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? "" : ref.slice(hash + 1);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(filePart)) {
      throw new DocumentReadError(
        display(file),
        lineOf(texts.get(file) ?? "", ref),
        `remote $ref "${ref}" is not supported (documents must be self-contained)${where()}`,
      );
    }
    const target =
      filePart === ""
        ? file
        : path.posix.normalize(path.posix.join(path.posix.dirname(file), filePart));
    let node: unknown;
    try {
      node = parseFile(target, { file, ref });
    } catch (error) {
      if (!(error instanceof DocumentReadError)) throw error;
      // Name the $ref that led here too: a broken shared file is found through one use of it.
      const reason =
        error.file === display(target)
          ? `${error.reason}; reached from ${display(file)}${where()}`
          : `${error.reason}${where()}`;
      throw new DocumentReadError(error.file, error.line, reason);
    }
    const pointer = decodePointer(fragment);
    for (const part of pointer) {
      if (node !== null && typeof node === "object" && Object.hasOwn(node, part)) {
        node = (node as Record<string, unknown>)[part];
      } else {
        throw new DocumentReadError(
          display(file),
          lineOf(texts.get(file) ?? "", ref),
          `$ref "${ref}" does not resolve: no "${part}" in ${display(target)}${where()}`,
        );
      }
    }
    return { file: target, pointer, node };
  }

  function deref(node: unknown, file: string, at: string[]): unknown {
    // `at` is one stack per file walk, pushed and popped: a copy per node would cost the load.
    if (Array.isArray(node)) {
      return node.map((item, i) => {
        at.push(String(i));
        const value = deref(item, file, at);
        at.pop();
        return value;
      });
    }
    if (node === null || typeof node !== "object") return node;
    const obj = node as Record<string, unknown>;
    const ref = obj.$ref;
    if (typeof ref === "string") {
      const target = resolveRef(ref, file, at);
      const siblings = Object.keys(obj).filter((k) => k !== "$ref" && !DOC_KEYS.has(k));
      if (siblings.length === 0) return target;
      // JSON Schema 2020-12: a $ref with constraints beside it means both apply.
      const rest: Record<string, unknown> = {};
      for (const k of siblings) {
        at.push(k);
        rest[k] = deref(obj[k], file, at);
        at.pop();
      }
      return { allOf: [target, rest] };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      // Extension values and examples are data, not OpenAPI: leave any "$ref" in them alone.
      if (k.startsWith("x-") || k === "example" || k === "examples") {
        out[k] = v;
        continue;
      }
      at.push(k);
      out[k] = deref(v, file, at);
      at.pop();
    }
    return out;
  }

  // The same `$ref` text in the same file always lands on the same target: large documents
  // repeat a few thousand refs tens of thousands of times, so skip locating them again.
  const byRefText = new Map<string, unknown>();

  function resolveRef(ref: string, file: string, at: readonly string[]): unknown {
    const seen = `${file}\0${ref}`;
    if (byRefText.has(seen)) return byRefText.get(seen);
    const value = resolveTarget(ref, file, at);
    byRefText.set(seen, value);
    return value;
  }

  function resolveTarget(ref: string, file: string, at: readonly string[]): unknown {
    const target = locate(ref, file, at);
    const key = `${target.file}#/${target.pointer.join("/")}`;
    if (resolved.has(key)) return resolved.get(key);
    if (target.node === null || typeof target.node !== "object" || Array.isArray(target.node)) {
      const value = deref(target.node, target.file, [...target.pointer]);
      resolved.set(key, value);
      return value;
    }
    // Register the (still empty) result first, so a cycle back to this target finds it.
    const placeholder: Record<string, unknown> = {};
    resolved.set(key, placeholder);
    components.set(placeholder, componentNameOf(target.file, target.pointer));
    const value = deref(target.node, target.file, [...target.pointer]);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      Object.assign(placeholder, value);
    }
    return placeholder;
  }

  const rootFile = source.entry;
  const raw = parseFile(rootFile);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new DocumentReadError(
      display(rootFile),
      1,
      "not an OpenAPI document (expected a mapping)",
    );
  }
  const root = deref(raw, rootFile, []) as Record<string, unknown>;
  if (typeof root.openapi !== "string") {
    throw new DocumentReadError(
      display(rootFile),
      1,
      'not an OpenAPI document (no "openapi" field)',
    );
  }
  const base = path.posix.dirname(rootFile);
  const files = new Map<string, string>();
  for (const [file, text] of texts) files.set(path.posix.relative(base, file), text);
  return { label: source.label, root, files, components };
}
