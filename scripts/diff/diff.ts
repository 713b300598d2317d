/**
 * The public face of the diff: load two sources, compare them, and summarise. Renderers and the
 * CLI build on these; `wth check` and the release tooling call them too.
 */
import { diffDocuments } from "./compare-document.ts";
import { type LoadedDocument, loadDocument, mapReader, parseSource } from "./load.ts";
import type { Finding } from "./types.ts";

export { diffDocuments } from "./compare-document.ts";
export { DocumentReadError, loadDocument, parseSource } from "./load.ts";

export interface DiffResult {
  base: string;
  revision: string;
  findings: Finding[];
  breaking: number;
  nonBreaking: number;
}

/** Orders findings the way a reader scans them: breaking first, then by place. */
function ordered(findings: Finding[]): Finding[] {
  const where = (f: Finding) =>
    f.location.operation ?? (f.location.webhook === undefined ? "" : `~${f.location.webhook}`);
  return [...findings].sort(
    (x, y) =>
      Number(y.breaking) - Number(x.breaking) ||
      where(x).localeCompare(where(y)) ||
      x.location.pointer.localeCompare(y.location.pointer) ||
      x.rule.localeCompare(y.rule),
  );
}

export function summarise(base: string, revision: string, findings: Finding[]): DiffResult {
  const sorted = ordered(findings);
  const breaking = sorted.filter((f) => f.breaking).length;
  return { base, revision, findings: sorted, breaking, nonBreaking: sorted.length - breaking };
}

/** Compares two operands as typed on the command line (`2026-05-07`, a path, `git:<ref>:<path>`). */
export async function diffSources(
  base: string,
  revision: string,
  cwd: string = process.cwd(),
  timings?: Record<string, number>,
): Promise<DiffResult> {
  const started = performance.now();
  const [b, a] = await Promise.all([
    loadDocument(parseSource(base, cwd)),
    loadDocument(parseSource(revision, cwd)),
  ]);
  if (timings !== undefined) timings["load and resolve"] = performance.now() - started;
  // Two dated versions of this API are a declared version change: same-shape renames count.
  const dated = (spec: string) => /^(git:.+?:)?\d{4}-\d{2}-\d{2}$/.test(spec);
  return summarise(
    base,
    revision,
    diffDocuments(b, a, { inferRenames: dated(base) && dated(revision), timings }),
  );
}

/** Loads an in-memory document (tests, generated benchmarks) through the same bundler. */
export function loadObject(
  label: string,
  document: Record<string, unknown>,
): Promise<LoadedDocument> {
  return loadDocument({
    label,
    reader: mapReader("", { "openapi.json": JSON.stringify(document) }),
    entry: "openapi.json",
  });
}

export async function diffObjects(
  base: Record<string, unknown>,
  revision: Record<string, unknown>,
): Promise<DiffResult> {
  const [b, a] = await Promise.all([loadObject("base", base), loadObject("revision", revision)]);
  return summarise("base", "revision", diffDocuments(b, a, { inferRenames: false }));
}
