/**
 * `wth additive apply <date>`: ports the non-breaking additions of `<date>` (a new response or
 * optional request field, a new endpoint or event type) into every older version's document,
 * because the contract says pinned versions get additions automatically. It works from the
 * findings of `wth diff`, newest pair first, so an addition walks down the whole chain; what it
 * cannot port mechanically it lists for the maintainer, and `wth check` keeps failing until done.
 */
import fs from "node:fs";
import path from "node:path";
import { type Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from "yaml";
import type { VersionBundle } from "../../server/versions/change.ts";
import { coverageOf, type UnansweredGroup } from "./coverage.ts";
import { readRegistry, VersionCommandError } from "./registry-file.ts";

export interface PortResult {
  /** `<selector> → <older version>` for every addition written. */
  ported: string[];
  /** Additions that need a hand edit, with the reason. */
  manual: string[];
}

function load(file: string): Document {
  return parseDocument(fs.readFileSync(file, "utf8"));
}

function save(file: string, doc: Document): void {
  fs.writeFileSync(file, doc.toString({ flowCollectionPadding: false, lineWidth: 100 }));
}

/** Copies `properties.<prop>` (and its `required` membership) of a schema file. */
function portProperty(newerDir: string, olderDir: string, schema: string, prop: string): string {
  const rel = path.join("components", "schemas", `${schema}.yaml`);
  const from = path.join(newerDir, rel);
  const to = path.join(olderDir, rel);
  if (!fs.existsSync(from) || !fs.existsSync(to)) {
    throw new VersionCommandError(
      `${rel} is not in both documents; port ${schema}.${prop} by hand`,
    );
  }
  const newer = load(from);
  const older = load(to);
  const node = newer.getIn(["properties", prop], true);
  if (node === undefined) throw new VersionCommandError(`${rel} has no property ${prop}`);
  if (older.getIn(["properties", prop]) !== undefined) return rel;
  const props = older.get("properties", true);
  if (!isMap(props)) throw new VersionCommandError(`${path.join(olderDir, rel)} has no properties`);
  props.set(prop, older.createNode(newer.getIn(["properties", prop])));
  const required = newer.get("required", true);
  if (isSeq(required) && required.items.some((i) => isScalar(i) && i.value === prop)) {
    const olderRequired = older.get("required", true);
    if (isSeq(olderRequired)) olderRequired.add(older.createNode(prop));
  }
  save(to, older);
  return rel;
}

/** Relative `$ref` files a node reaches (without fragments). */
function refsOf(node: unknown, out: Set<string>): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.value === "$ref" && isScalar(pair.value)) {
        const file = String(pair.value.value).split("#")[0] ?? "";
        if (file !== "") out.add(file);
      } else refsOf(pair.value, out);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) refsOf(item, out);
  }
}

/** Copies files reached from `file` that the older document lacks, following their refs too. */
function copyMissingFiles(newerDir: string, olderDir: string, refs: Set<string>, base: string) {
  for (const ref of refs) {
    const rel = path.normalize(path.join(base, ref));
    const target = path.join(olderDir, rel);
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(newerDir, rel), target);
    const more = new Set<string>();
    refsOf(load(target).contents, more);
    copyMissingFiles(newerDir, olderDir, more, path.dirname(rel));
  }
}

/** Copies a path item (`paths`) or webhook (`webhooks`) entry of the root document. */
function portEntry(newerDir: string, olderDir: string, map: "paths" | "webhooks", key: string) {
  const newer = load(path.join(newerDir, "openapi.yaml"));
  const older = load(path.join(olderDir, "openapi.yaml"));
  const item = newer.getIn([map, key], true);
  if (item === undefined) throw new VersionCommandError(`${map} has no ${key} in ${newerDir}`);
  if (older.getIn([map, key]) !== undefined) {
    throw new VersionCommandError(
      `${key} exists in both documents with different operations; port the operation by hand`,
    );
  }
  const olderMap = older.get(map, true) as YAMLMap | undefined;
  if (olderMap === undefined) throw new VersionCommandError(`${olderDir} has no ${map}`);
  olderMap.set(key, older.createNode(newer.getIn([map, key])));
  // A `$ref: paths/x.yaml#/key` into a file the older document has: copy the key across.
  const ref = isMap(item) ? item.get("$ref") : undefined;
  const refs = new Set<string>();
  if (typeof ref === "string" && ref.includes("#/")) {
    const [file, fragment] = ref.split("#/") as [string, string];
    const olderFile = path.join(olderDir, file);
    if (fs.existsSync(olderFile)) {
      const newerDoc = load(path.join(newerDir, file));
      const olderDoc = load(olderFile);
      if (olderDoc.get(fragment) === undefined) {
        olderDoc.set(fragment, olderDoc.createNode(newerDoc.get(fragment)));
        save(olderFile, olderDoc);
      }
      refsOf(newerDoc.get(fragment, true), refs);
      copyMissingFiles(newerDir, olderDir, refs, path.dirname(file));
    } else {
      refs.add(file);
    }
  } else {
    refsOf(item, refs);
  }
  copyMissingFiles(newerDir, olderDir, refs, ".");
  save(path.join(olderDir, "openapi.yaml"), older);
}

function portGroup(root: string, newer: string, older: string, g: UnansweredGroup): string {
  const newerDir = path.join(root, "openapi", newer);
  const olderDir = path.join(root, "openapi", older);
  const first = g.findings[0];
  const target = g.selector.slice(g.selector.indexOf(":") + 1);
  switch (first?.rule) {
    case "response-property-added":
    case "optional-request-property-added": {
      const dot = target.indexOf(".");
      if (dot === -1) throw new VersionCommandError(`no schema property in ${g.selector}`);
      return portProperty(newerDir, olderDir, target.slice(0, dot), target.slice(dot + 1));
    }
    case "operation-added": {
      const p = first.location.operation?.split(" ")[1];
      if (p === undefined) throw new VersionCommandError(`no path in ${g.selector}`);
      portEntry(newerDir, olderDir, "paths", p);
      return `paths ${p}`;
    }
    case "webhook-added": {
      const w = first.location.webhook;
      if (w === undefined) throw new VersionCommandError(`no webhook in ${g.selector}`);
      portEntry(newerDir, olderDir, "webhooks", w);
      return `webhooks ${w}`;
    }
    default:
      throw new VersionCommandError(`${first?.rule ?? "?"} is not ported automatically`);
  }
}

export async function applyAdditions(
  root: string,
  bundle: VersionBundle,
  date: string,
): Promise<PortResult> {
  const records = readRegistry(root);
  const index = records.findIndex((r) => r.version === date);
  if (index === -1) throw new VersionCommandError(`${date} is not in openapi/versions.json`);
  const result: PortResult = { ported: [], manual: [] };
  for (let i = index; i >= 1; i--) {
    const newer = records[i]?.version as string;
    const older = records[i - 1]?.version as string;
    for (const g of (await coverageOf(root, bundle, older, newer)).unported) {
      try {
        const where = portGroup(root, newer, older, g);
        result.ported.push(`${g.selector} → openapi/${older}/${where}`);
      } catch (error) {
        if (!(error instanceof VersionCommandError)) throw error;
        result.manual.push(`${g.selector} (${older}): ${error.message}`);
      }
    }
  }
  return result;
}
