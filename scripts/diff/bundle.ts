/**
 * Reads and bundles a (possibly multi-file) OpenAPI document with Redocly (`@redocly/openapi-core`):
 * its resolver reads and parses every file, through a FileReader, so a `git:` document's relative
 * `$ref`s resolve within the same revision and a release snapshot's within the snapshot; its
 * bundler turns external refs into `#/components/...` refs of one document.
 *
 * A document whose refs are all internal is already a bundle, and Redocly's bundler would walk all
 * of it to change nothing: on a 1.7 MB document that walk costs over a second, so it runs only when
 * some ref leaves the file (see `needsBundling`, and the test proving both paths load the same).
 *
 * Every failure (unparsable YAML or JSON, a missing file, a pointer that does not resolve, not
 * OpenAPI) becomes one DocumentReadError naming the file, its line and the `$ref`'s pointer.
 */
import path from "node:path";
import type { LocationObject, NormalizedProblem, StyleguideConfig } from "@redocly/openapi-core";
import type {
  BaseResolver as BaseResolverClass,
  Document,
  Source as SourceClass,
} from "@redocly/openapi-core/lib/resolve.js";
import { decodePointer } from "./dereference.ts";
import type { FileReader } from "./load.ts";
import { DocumentReadError } from "./read-error.ts";

type Json = Record<string, unknown>;
type ResolveModule = typeof import("@redocly/openapi-core/lib/resolve.js");
type Redocly = typeof import("@redocly/openapi-core");

export interface Bundled {
  /** The bundled document: external refs moved under `components`, internal refs kept. */
  root: Json;
  /** Every file read, by its path in the reader's namespace, with its exact text. */
  texts: Map<string, string>;
  /** False when the document had no external ref and Redocly's bundler was not run. */
  bundled: boolean;
}

/** Why the resolver could not give a file: kept to word the message of the `$ref` that asked. */
type Failure =
  | { kind: "missing" }
  | { kind: "remote" }
  | { kind: "parse"; line?: number; reason: string };

interface ReaderResolver extends BaseResolverClass {
  readonly texts: Map<string, string>;
  readonly failures: Map<string, Failure>;
  /** A file as parsed from its text again: the bundler rewrites the parsed trees it walks. */
  pristine(file: string): unknown;
}

let resolverClass: Promise<new (reader: FileReader) => ReaderResolver> | undefined;
let bundler: Promise<{ redocly: Redocly; config: StyleguideConfig }> | undefined;

/** Redocly's resolver and parser: a light import, needed for every document. */
function loadResolver(): Promise<new (reader: FileReader) => ReaderResolver> {
  resolverClass ??= import("@redocly/openapi-core/lib/resolve.js").then(makeResolverClass);
  return resolverClass;
}

/**
 * Redocly's bundler: importing it costs several hundred milliseconds, paid only by documents
 * that have external refs to bundle (or a broken ref to report).
 */
function loadBundler(): Promise<{ redocly: Redocly; config: StyleguideConfig }> {
  bundler ??= (async () => {
    const redocly = await import("@redocly/openapi-core");
    // No `recommended` rules and no redocly.yaml from the working directory: the bundle must not
    // depend on where `wth diff` runs. Refs inside examples are example data, not OpenAPI.
    const config = await redocly.createConfig({
      extends: [],
      resolve: { doNotResolveExamples: true },
    });
    return { redocly, config: config.styleguide };
  })();
  return bundler;
}

/** Redocly's BaseResolver, reading through a FileReader instead of the disk or the network. */
function makeResolverClass(core: ResolveModule) {
  const { BaseResolver, ResolveError, Source, YamlParseError } = core;
  const remote = (ref: string) => /^https?:\/\//i.test(ref);
  return class extends BaseResolver implements ReaderResolver {
    readonly texts = new Map<string, string>();
    readonly failures = new Map<string, Failure>();

    constructor(private readonly reader: FileReader) {
      super();
    }

    pristine(file: string): unknown {
      const text = this.texts.get(file);
      return text === undefined ? undefined : this.parseDocument(new Source(file, text)).parsed;
    }

    override resolveExternalRef(base: string | null, ref: string): string {
      if (remote(ref) || base === null) return ref;
      return path.posix.normalize(path.posix.join(path.posix.dirname(base), ref));
    }

    override async loadExternalRef(file: string): Promise<SourceClass> {
      if (remote(file)) {
        this.failures.set(file, { kind: "remote" });
        throw new ResolveError(new Error("remote $refs are not supported"));
      }
      const text = this.reader.read(file);
      if (text === undefined) {
        this.failures.set(file, { kind: "missing" });
        throw new ResolveError(new Error("no such file"));
      }
      this.texts.set(file, text);
      return new Source(file, text);
    }

    override parseDocument(source: SourceClass, isRoot?: boolean): Document {
      // A .json file must be JSON (Redocly would read a trailing comma as YAML and accept it);
      // JSON.parse is also many times faster than a YAML parser on a large document.
      if (source.absoluteRef.endsWith(".json")) {
        try {
          return { source, parsed: JSON.parse(source.body) };
        } catch (error) {
          const reason = (error as Error).message;
          const at = /position (\d+)/.exec(reason);
          const line =
            at === null ? undefined : source.body.slice(0, Number(at[1])).split("\n").length;
          this.failures.set(source.absoluteRef, {
            kind: "parse",
            ...(line === undefined ? {} : { line }),
            reason: `invalid JSON: ${reason}`,
          });
          throw new YamlParseError(error as Error, source);
        }
      }
      return this.parseYaml(source, isRoot);
    }

    private parseYaml(source: SourceClass, isRoot?: boolean): Document {
      try {
        return super.parseDocument(source, isRoot);
      } catch (error) {
        if (error instanceof YamlParseError) {
          // js-yaml ends its message with "(line:col)"; the line is reported on its own.
          const reason = (error.message.split("\n")[0] ?? "").replace(/\s*\(\d+:\d+\)$/, "");
          this.failures.set(source.absoluteRef, {
            kind: "parse",
            ...(Number.isFinite(error.line) ? { line: error.line } : {}),
            reason: `invalid YAML: ${reason}`,
          });
        }
        throw error;
      }
    }
  };
}

/** True when some `$ref` (or an example's `externalValue`) names another file. */
export function needsBundling(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(needsBundling);
  if (node === null || typeof node !== "object") return false;
  const obj = node as Json;
  if (typeof obj.$ref === "string" && !obj.$ref.startsWith("#")) return true;
  if (typeof obj.externalValue === "string") return true;
  for (const key in obj) if (needsBundling(obj[key])) return true;
  return false;
}

export async function bundleDocument(
  reader: FileReader,
  entry: string,
  options: { alwaysBundle?: boolean } = {},
): Promise<Bundled> {
  const Resolver = await loadResolver();
  const resolver = new Resolver(reader);
  const display = (file: string) => `${reader.prefix}${file}`;

  let document: Document;
  try {
    document = (await resolver.resolveDocument(null, entry, true)) as Document;
  } catch (error) {
    // A git reader tells an unknown revision from a missing file itself.
    if (error instanceof DocumentReadError) throw error;
    const failure = resolver.failures.get(entry);
    if (failure?.kind === "parse")
      throw new DocumentReadError(display(entry), failure.line, failure.reason);
    throw new DocumentReadError(display(entry), undefined, "no such file");
  }
  const raw = document.parsed as unknown;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new DocumentReadError(display(entry), 1, "not an OpenAPI document (#/ is not a mapping)");
  }
  const version = (raw as Json).openapi;
  if (typeof version !== "string") {
    throw new DocumentReadError(
      display(entry),
      1,
      "not an OpenAPI document (#/openapi is missing)",
    );
  }
  if (!/^3\.[01]\./.test(version)) {
    throw new DocumentReadError(
      display(entry),
      1,
      `not an OpenAPI 3.0 or 3.1 document (#/openapi is "${version}")`,
    );
  }
  const bundled = options.alwaysBundle === true || needsBundling(raw);
  if (bundled) {
    const { redocly, config } = await loadBundler();
    let problems: NormalizedProblem[];
    try {
      ({ problems } = await redocly.bundleDocument({
        document,
        config,
        externalRefResolver: resolver,
      }));
    } catch (error) {
      // Redocly's resolver throws for a chain of refs that ends where it started.
      throw new DocumentReadError(display(entry), undefined, (error as Error).message);
    }
    // A file that does not parse is reported twice: once as itself, once at the $ref reaching it.
    const first = problems.find(
      (p) => p.severity === "error" && !p.message.startsWith("Failed to parse"),
    );
    if (first !== undefined) throw describeProblem(first, resolver, display, redocly);
  }
  return { root: raw as Json, texts: resolver.texts, bundled };
}

/** The node a pointer reaches in a parsed file, or the first segment that is missing. */
function walk(parsed: unknown, segments: readonly string[]): { node: unknown; missing?: string } {
  let node = parsed;
  for (const part of segments) {
    if (node !== null && typeof node === "object" && Object.hasOwn(node, part)) {
      node = (node as Json)[part];
    } else return { node: undefined, missing: part };
  }
  return { node };
}

/**
 * One line for the first unresolved `$ref`: the referring file and line, the ref, why it fails
 * (a missing file, a file that does not parse, a pointer that reaches nothing) and its pointer.
 */
function describeProblem(
  problem: NormalizedProblem,
  resolver: ReaderResolver,
  display: (file: string) => string,
  redocly: Redocly,
): DocumentReadError {
  const where = problem.location[0] as LocationObject | undefined;
  if (where === undefined) return new DocumentReadError("(document)", undefined, problem.message);
  const from = where.source.absoluteRef;
  const pointer = where.pointer ?? "#/";
  const line = redocly.getLineColLocation(where).start.line;
  const node = walk(resolver.pristine(from), decodePointer(pointer)).node;
  const held = (node as Json | undefined)?.$ref;
  const ref = typeof node === "string" ? node : typeof held === "string" ? held : undefined;
  const atRef = `(the $ref at ${pointer})`;
  if (ref === undefined) {
    return new DocumentReadError(display(from), line, `${problem.message} ${atRef}`);
  }
  const hash = ref.indexOf("#");
  const uri = hash < 0 ? ref : ref.slice(0, hash);
  const target = uri === "" ? from : resolver.resolveExternalRef(from, uri);
  const failure = resolver.failures.get(target);
  switch (failure?.kind) {
    case "missing":
      return new DocumentReadError(
        display(from),
        line,
        `$ref "${ref}" points to a missing file ${display(target)} ${atRef}`,
      );
    case "remote":
      return new DocumentReadError(
        display(from),
        line,
        `remote $ref "${ref}" is not supported (documents must be self-contained) ${atRef}`,
      );
    case "parse":
      // Name the $ref that led here too: a broken shared file is found through one use of it.
      return new DocumentReadError(
        display(target),
        failure.line,
        `${failure.reason}; reached from ${display(from)} ${atRef}`,
      );
  }
  const fragment = hash < 0 ? "" : ref.slice(hash + 1);
  const missing = walk(resolver.pristine(target), decodePointer(fragment)).missing;
  const why =
    missing === undefined
      ? "does not resolve"
      : `does not resolve: no "${missing}" in ${display(target)}`;
  return new DocumentReadError(display(from), line, `$ref "${ref}" ${why} ${atRef}`);
}
