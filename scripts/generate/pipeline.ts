import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { bannerFor } from "./banner.ts";
import { canonicalDocument } from "./canonical-json.ts";
import { collectChangelog } from "./changelog.ts";
import type { EmitterContext, GeneratedFile, NamedEmitter, OpenApiDocument } from "./context.ts";
import { renderGettingStarted, renderGuides } from "./guides.ts";
import { LANDING_PAGE_PATH, renderLandingPage } from "./landing-page.ts";
import { lintStep } from "./lint-step.ts";
import {
  MANIFEST_PATH,
  type Manifest,
  type ManifestVersion,
  parseManifest,
  renderManifest,
  sameGenerators,
  sha256,
} from "./manifest.ts";
import { NEWEST_PATH, renderNewest } from "./newest.ts";
import { compareTrees, type Difference, readTree, replaceTree } from "./output-tree.ts";
import { pipelineHash } from "./pipeline-hash.ts";
import { GenerateError, type Problem } from "./problems.ts";
import { redoclyBundle } from "./redocly.ts";
import { checkSyntax, readVersionSource, type VersionSource } from "./source.ts";
import { generatorVersions } from "./tools.ts";
import { loadVersionList, VERSIONS_FILE, type VersionList } from "./versions.ts";

export interface GenerateOptions {
  /** Repository root holding `openapi/` and `generated/`. */
  root: string;
  /** `write` replaces generated/ atomically; `check` only compares. */
  mode: "write" | "check";
  /** Regenerate every selected version even when the manifest says nothing changed. */
  full?: boolean;
  /** Only these versions (each must be in versions.json); others are carried over as they are. */
  only?: string[];
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Overrides the emitter list (tests); defaults to emitters/index.ts. */
  emitters?: NamedEmitter[];
}

export interface GenerateResult {
  /** How generated/ differs (check) or differed before writing (write) from what generation produces. */
  differences: Difference[];
  /** Versions whose emitters ran. */
  regenerated: string[];
  /** Versions taken over from disk because source, generators and output hashes all matched. */
  reused: string[];
  /** Lint warnings seen while regenerating (errors abort instead). */
  warnings: Problem[];
}

/*
 * Why `--check` can be fast and still honest:
 * MANIFEST.json records, per version, the source hash, the generator versions (including a hash
 * of scripts/generate) and the sha256 of every file generation produced. Generation is
 * deterministic, so when the source and generators are unchanged, those hashes ARE the hashes
 * of what generation would produce now; verifying every file on disk against them (and that no
 * file is missing or extra) proves the tree is current without running Redocly. Anything that
 * fails that proof — an edited output, an edited source, a new generator — is regenerated in
 * memory and compared byte for byte, so the report names the exact files. The one thing the
 * shortcut trusts is the manifest itself (a hand-edited manifest matching hand-edited files);
 * `--full` removes that trust by regenerating everything, and CI runs `--check --full`.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { root, mode } = options;
  const log = options.log ?? (() => {});
  const versions = await loadVersionList(root);
  const entries = versions.entries;
  const known = new Set(entries.map((e) => e.version));
  const unknown = (options.only ?? []).filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new GenerateError(
      unknown.map((v) => ({
        file: VERSIONS_FILE,
        message: `version ${v} is not listed`,
        rule: "unknown-version",
      })),
    );
  }
  const selected = new Set(options.only ?? entries.map((e) => e.version));

  const current = await readTree(root);
  const oldManifest = parseManifest(current.get(MANIFEST_PATH));
  const generators = { ...generatorVersions(), "wth-generate": await pipelineHash() };

  const desired = new Map<string, Buffer>();
  const manifestVersions: Record<string, ManifestVersion> = {};
  const result: GenerateResult = { differences: [], regenerated: [], reused: [], warnings: [] };
  const problems: Problem[] = [];

  for (const entry of entries) {
    const version = entry.version;
    const outPrefix = `generated/${version}/`;
    const onDisk = [...current.entries()].filter(([file]) => file.startsWith(outPrefix));
    const oldEntry = oldManifest?.versions[version];

    if (!selected.has(version)) {
      for (const [file, bytes] of onDisk) desired.set(file, bytes);
      if (oldEntry !== undefined) manifestVersions[version] = oldEntry;
      continue;
    }

    const source = await readVersionSource(root, version);
    const reusable =
      options.full !== true &&
      oldEntry !== undefined &&
      oldManifest !== undefined &&
      oldEntry.source.sha256 === source.sha256 &&
      sameGenerators(oldManifest.generators, generators) &&
      matchesRecordedHashes(onDisk, oldEntry.files);
    if (reusable) {
      for (const [file, bytes] of onDisk) desired.set(file, bytes);
      manifestVersions[version] = oldEntry;
      result.reused.push(version);
      log(`${version}: unchanged (source, generators and outputs match MANIFEST.json)`);
      continue;
    }

    const started = performance.now();
    const timings: string[] = [];
    const outcome = await generateVersion(root, version, source, options.emitters, timings);
    result.warnings.push(...outcome.warnings);
    if ("problems" in outcome) {
      problems.push(...outcome.problems);
      continue;
    }
    const files: Record<string, string> = {};
    for (const file of outcome.files) {
      const bytes = Buffer.from(file.contents, "utf8");
      desired.set(file.path, bytes);
      files[file.path] = sha256(bytes);
    }
    manifestVersions[version] = {
      title: outcome.title,
      source: { path: source.dir, sha256: source.sha256 },
      files,
    };
    result.regenerated.push(version);
    log(
      `${version}: generated ${outcome.files.length} files in ${seconds(started)} (${timings.join(", ")})`,
    );
  }
  if (problems.length > 0) throw new GenerateError(problems);

  const manifest: Manifest = {
    "x-generated": bannerFor(VERSIONS_FILE),
    generators,
    versions: manifestVersions,
  };
  desired.set(MANIFEST_PATH, Buffer.from(renderManifest(manifest), "utf8"));
  desired.set(NEWEST_PATH, Buffer.from(renderNewest(entries), "utf8"));
  const guides = await renderGuides(root);
  const guideNames = new Set(guides.map((g) => path.posix.basename(g.path, ".html")));
  desired.set(
    LANDING_PAGE_PATH,
    Buffer.from(
      await landingPage(versions, manifestVersions, guideNames, await renderGettingStarted(root)),
      "utf8",
    ),
  );
  for (const guide of guides) {
    desired.set(guide.path, Buffer.from(guide.contents, "utf8"));
  }

  result.differences = compareTrees(current, desired);
  if (mode === "write" && result.differences.length > 0) await replaceTree(root, desired);
  return result;
}

function matchesRecordedHashes(
  onDisk: [string, Buffer][],
  recorded: Record<string, string>,
): boolean {
  if (onDisk.length !== Object.keys(recorded).length) return false;
  return onDisk.every(([file, bytes]) => recorded[file] === sha256(bytes));
}

type VersionOutcome =
  | { files: GeneratedFile[]; title: string; warnings: Problem[] }
  | { problems: Problem[]; warnings: Problem[] };

/** Lints, bundles and runs every emitter for one version, entirely in memory and scratch space. */
async function generateVersion(
  root: string,
  version: string,
  source: VersionSource,
  emitterOverride: NamedEmitter[] | undefined,
  timings: string[],
): Promise<VersionOutcome> {
  const syntax = checkSyntax(source);
  if (syntax.length > 0) return { problems: syntax, warnings: [] };

  const scratchBase = path.join(root, ".tmp");
  await mkdir(scratchBase, { recursive: true });
  const scratchDir = await mkdtemp(path.join(scratchBase, `generate-${version}-`));
  try {
    const dereferencedFile = path.join(scratchDir, "dereferenced.json");
    const bundledFile = path.join(scratchDir, "bundled.json");
    // Lint is the slowest step (Redocly and Spectral); the bundles and the emitters run while
    // it does, and their results are thrown away if it finds an error.
    const linting = timed("lint", timings, lintStep(root, version, source.rootFile));
    linting.catch(() => {}); // awaited below on every path; this only silences the early-exit race
    const [dereferencedFailure, bundledFailure] = await Promise.all([
      timed("bundle", timings, redoclyBundle(root, source.rootFile, dereferencedFile, true)),
      redoclyBundle(root, source.rootFile, bundledFile, false),
    ]);
    const bundleFailure = dereferencedFailure ?? bundledFailure;
    if (bundleFailure !== undefined) {
      const lint = await linting;
      // Lint locates problems more precisely than a failed bundle; prefer its report.
      const problems = lint.errors.length > 0 ? lint.errors : [bundleFailure];
      return { problems, warnings: lint.warnings };
    }

    const document = canonicalDocument(
      JSON.parse(await readFile(dereferencedFile, "utf8")) as OpenApiDocument,
    );
    const bundled = canonicalDocument(
      JSON.parse(await readFile(bundledFile, "utf8")) as OpenApiDocument,
    );
    const ctx: EmitterContext = {
      version,
      sourceDir: source.dir,
      outDir: `generated/${version}`,
      banner: bannerFor(source.dir),
      document,
      bundled,
      scratchDir,
      root,
    };
    const emitters = emitterOverride ?? (await import("./emitters/index.ts")).emitters;
    const emitting = Promise.allSettled(emitters.map((e) => timed(e.name, timings, e.emit(ctx))));
    const [lint, results] = await Promise.all([linting, emitting]);
    if (lint.errors.length > 0) return { problems: lint.errors, warnings: lint.warnings };
    const problems: Problem[] = [];
    const files: GeneratedFile[] = [];
    const seen = new Set<string>();
    results.forEach((outcome, index) => {
      const name = emitters[index]?.name ?? String(index);
      if (outcome.status === "rejected") {
        const reason =
          outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
        problems.push({
          file: source.rootFile,
          message: `emitter ${name} failed: ${reason}`,
          rule: `emitter:${name}`,
        });
        return;
      }
      for (const file of outcome.value) {
        const problem = checkEmitted(file, ctx, seen);
        if (problem === undefined) files.push(file);
        else
          problems.push({
            file: source.rootFile,
            message: `emitter ${name}: ${problem}`,
            rule: `emitter:${name}`,
          });
      }
    });
    if (problems.length > 0) return { problems, warnings: lint.warnings };
    const info = document.info as { title?: unknown } | undefined;
    const title = typeof info?.title === "string" ? info.title : version;
    return { files, title, warnings: lint.warnings };
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/** The rules every emitted file obeys, whoever wrote the emitter. */
function checkEmitted(
  file: GeneratedFile,
  ctx: EmitterContext,
  seen: Set<string>,
): string | undefined {
  const normal = path.posix.normalize(file.path);
  if (normal !== file.path || !file.path.startsWith(`${ctx.outDir}/`)) {
    return `${file.path} is not a normalised path under ${ctx.outDir}/`;
  }
  if (seen.has(file.path)) return `${file.path} is emitted twice`;
  seen.add(file.path);
  if (!file.contents.includes(ctx.banner)) return `${file.path} lacks the banner "${ctx.banner}"`;
  for (const absolute of [ctx.root, ctx.scratchDir]) {
    if (file.contents.includes(absolute))
      return `${file.path} contains the absolute path ${absolute}`;
  }
  return undefined;
}

async function landingPage(
  versions: VersionList,
  manifestVersions: Record<string, ManifestVersion>,
  guides: ReadonlySet<string>,
  gettingStarted: string | undefined,
): Promise<string> {
  const entries = versions.entries;
  const current = versions.newest;
  const newest = versions.latest;
  const title =
    (current && manifestVersions[current]?.title) ||
    (newest && manifestVersions[newest]?.title) ||
    "API reference";
  return renderLandingPage({
    banner: bannerFor(VERSIONS_FILE),
    title,
    versions: [...entries].reverse().map((e) => ({
      version: e.version,
      status: e.status,
      releasedAt: e.released_at,
      current: e.version === current,
      href: `../${e.version}/docs/index.html`,
    })),
    changelog: await collectChangelog(entries),
    guides,
    gettingStarted,
  });
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** Awaits a step and records how long it took, for the progress line. */
async function timed<T>(name: string, timings: string[], step: Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step;
  } finally {
    timings.push(`${name} ${seconds(started)}`);
  }
}
