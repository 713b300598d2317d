/**
 * `wth changes scaffold <date>`: writes the version-change declarations that the breaking
 * findings of `wth diff <previous> <date>` already imply (renamed fields, removed fields, newly
 * required request fields, enum values renamed/split/merged, removed endpoints and event types,
 * changed error codes), one file per change under `server/versions/changes/<date>/`, listed in
 * its index. Findings already answered are skipped, so running it again adds only what is new.
 * What it cannot infer (a response enum value with no old counterpart) it lists for the
 * maintainer instead of guessing.
 */
import fs from "node:fs";
import path from "node:path";
import type { VersionBundle } from "../../server/versions/change.ts";
import type { Finding } from "../diff/types.ts";
import { coverageOf, targetOf } from "./coverage.ts";
import { readRegistry, VersionCommandError } from "./registry-file.ts";

export interface Scaffolded {
  id: string;
  declaration: string;
  description: string;
  migration: string;
}

export interface ScaffoldResult {
  written: string[];
  /** Findings that need a hand-written declaration, with why. */
  manual: string[];
}

const kebab = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();

const lit = (v: unknown) => JSON.stringify(v);

function fieldOf(f: Finding): { schema: string; field: string } | undefined {
  const target = targetOf(f);
  const dot = target.indexOf(".");
  if (dot === -1 || f.location.component === undefined) return undefined;
  return { schema: target.slice(0, dot), field: target.slice(dot + 1) };
}

const values = (x: unknown): string[] =>
  Array.isArray(x) ? x.filter((v): v is string => typeof v === "string") : [];

/** The declarations the uncovered findings imply, and what must be declared by hand. */
export function impliedDeclarations(uncovered: readonly Finding[]): {
  changes: Scaffolded[];
  manual: string[];
} {
  const out = new Map<string, Scaffolded>();
  const manual = new Set<string>();
  const add = (s: Scaffolded) => {
    if (!out.has(s.id)) out.set(s.id, s);
  };
  const renamedFrom = new Set<string>();
  const enums = new Map<string, { removed: Set<string>; added: Set<string> }>();
  const errorsRemoved = new Set<string>();
  const errorsAdded = new Set<string>();

  for (const f of uncovered) {
    if (f.rule === "response-property-renamed" || f.rule === "request-property-renamed") {
      const place = fieldOf(f);
      const from = String(f.before);
      const to = String(f.after);
      if (place === undefined) continue;
      renamedFrom.add(`${place.schema}.${from}`);
      add({
        id: `${kebab(place.schema)}-${kebab(from)}-renamed-to-${kebab(to)}`,
        declaration: `schema(${lit(place.schema)}).field(${lit(to)}).had({ name: ${lit(from)} })`,
        description: `${place.schema} \`${from}\` is renamed \`${to}\`.`,
        migration: `Read and send \`${to}\` where you used \`${from}\`.`,
      });
    }
  }
  for (const f of uncovered) {
    const place = fieldOf(f);
    if (/-property-renamed$/.test(f.rule)) continue;
    if (/-property-removed$/.test(f.rule) && place !== undefined) {
      if (renamedFrom.has(`${place.schema}.${place.field}`)) continue;
      add({
        id: `${kebab(place.schema)}-${kebab(place.field)}-removed`,
        declaration: `schema(${lit(place.schema)}).field(${lit(place.field)}).existed()`,
        description: `${place.schema} \`${place.field}\` is removed.`,
        migration: `Stop reading \`${place.field}\`; it is no longer sent.`,
      });
    } else if (
      (f.rule === "request-property-made-required" ||
        f.rule === "required-request-property-added") &&
      place !== undefined
    ) {
      add({
        id: `${kebab(place.schema)}-${kebab(place.field)}-required`,
        declaration: `schema(${lit(place.schema)}).field(${lit(place.field)}).wasOptional()`,
        description: `${place.schema} \`${place.field}\` is required.`,
        migration: `Always send \`${place.field}\`.`,
      });
    } else if (/enum-value-(added|removed)$/.test(f.rule) && f.location.component !== undefined) {
      const name = targetOf(f);
      const e = enums.get(name) ?? { removed: new Set(), added: new Set() };
      for (const v of values(f.before)) e.removed.add(v);
      for (const v of values(f.after)) e.added.add(v);
      enums.set(name, e);
    } else if (f.rule === "operation-removed") {
      const id = /\(([A-Za-z0-9_]+)\)/.exec(f.message)?.[1];
      if (id === undefined) {
        manual.add(`${f.location.operation}: no operationId to declare endpoint(...).existed()`);
        continue;
      }
      add({
        id: `${kebab(id)}-removed`,
        declaration: `endpoint(${lit(id)}).existed()`,
        description: `\`${f.location.operation}\` (${id}) is removed.`,
        migration: `Stop calling ${id}.`,
      });
    } else if (f.rule === "webhook-renamed") {
      add({
        id: `event-${kebab(String(f.before))}-renamed`,
        declaration: `webhook(${lit(f.after)}).had({ name: ${lit(f.before)} })`,
        description: `Event type \`${f.before}\` is renamed \`${f.after}\`.`,
        migration: `Subscribe to and match on \`${f.after}\` instead of \`${f.before}\`.`,
      });
    } else if (f.rule === "webhook-removed") {
      add({
        id: `event-${kebab(String(f.before))}-removed`,
        declaration: `webhook(${lit(f.before)}).existed()`,
        description: `Event type \`${f.before}\` is no longer sent.`,
        migration: `Stop expecting \`${f.before}\` events.`,
      });
    } else if (f.rule === "error-code-removed") {
      errorsRemoved.add(String(f.before));
    } else if (f.rule === "error-code-added") {
      errorsAdded.add(String(f.after));
    } else if (!/enum|error-code/.test(f.rule)) {
      manual.add(`${f.rule}:${targetOf(f)}: ${f.message}`);
    }
  }
  for (const [name, { removed, added }] of enums) {
    // An error code or event type enum is declared through errorCode(...) / webhook(...).
    if (/ErrorCode|EventType/.test(name)) continue;
    const old = [...removed];
    const now = [...added];
    let map: Record<string, string | string[]> | undefined;
    if (old.length === 1 && now.length >= 1) map = { [old[0] as string]: now };
    else if (old.length > 1 && now.length === 1)
      map = Object.fromEntries(old.map((o) => [o, now[0] as string]));
    else if (old.length === now.length && old.length > 0)
      map = Object.fromEntries(old.map((o, i) => [o, now[i] as string]));
    if (map === undefined || now.length === 0) {
      manual.add(
        `${name}: ${now.length > 0 ? `new value(s) ${now.join(", ")} have no old counterpart` : `value(s) ${old.join(", ")} removed with no replacement`}; declare enumOf(${lit(name)}).had({ <old>: <new> }) by hand`,
      );
      continue;
    }
    const single = Object.values(map).map((v) => (Array.isArray(v) && v.length === 1 ? v[0] : v));
    const tidy = Object.fromEntries(Object.keys(map).map((k, i) => [k, single[i]]));
    add({
      id: `${kebab(name)}-${kebab(old.join("-"))}-changed`,
      declaration: `enumOf(${lit(name)}).had(${lit(tidy)})`,
      description: `${name} ${old.map((o) => `\`${o}\``).join(", ")} becomes ${now.map((n) => `\`${n}\``).join(" or ")}.`,
      migration: `Send and accept ${now.map((n) => `\`${n}\``).join(" and ")} instead of ${old.map((o) => `\`${o}\``).join(" and ")}.`,
    });
  }
  if (errorsRemoved.size === 1 && errorsAdded.size === 1) {
    const [old] = [...errorsRemoved];
    const [now] = [...errorsAdded];
    add({
      id: `error-${kebab(old as string)}-renamed`,
      declaration: `errorCode(${lit(now)}).had({ code: ${lit(old)} })`,
      description: `Error code \`${old}\` is now \`${now}\`.`,
      migration: `Handle \`${now}\` where you handled \`${old}\`.`,
    });
  } else {
    for (const code of errorsRemoved) {
      manual.add(
        `error code ${code} removed: declare errorCode(<new>).had({ code: ${lit(code)} })`,
      );
    }
  }
  return { changes: [...out.values()], manual: [...manual] };
}

const IMPORTS = ["schema", "enumOf", "endpoint", "errorCode", "webhook"];

function fileFor(s: Scaffolded): string {
  const used = IMPORTS.filter((name) => s.declaration.startsWith(`${name}(`));
  return `import { defineVersionChange } from "../../change.ts";
import { ${used.join(", ")} } from "../../declarations.ts";

// Scaffolded by "wth changes scaffold" from the diff's findings: review the wording.
export const change = defineVersionChange({
  id: ${lit(s.id)},
  description: ${lit(s.description)},
  migration: ${lit(s.migration)},
  declarations: [${s.declaration}],
});
`;
}

const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

export async function scaffoldChanges(
  root: string,
  bundle: VersionBundle,
  date: string,
): Promise<ScaffoldResult> {
  const records = readRegistry(root);
  const index = records.findIndex((r) => r.version === date);
  if (index === -1) throw new VersionCommandError(`${date} is not a version: mint it first`);
  const previous = records[index - 1];
  if (previous === undefined) {
    throw new VersionCommandError(`${date} is the first version: there is nothing to convert to`);
  }
  const coverage = await coverageOf(root, bundle, previous.version, date);
  const { changes, manual } = impliedDeclarations(coverage.uncovered.flatMap((g) => g.findings));
  const dir = path.join(root, "server", "versions", "changes", date);
  const indexFile = path.join(dir, "index.ts");
  if (!fs.existsSync(indexFile)) {
    throw new VersionCommandError(
      `server/versions/changes/${date}/index.ts is missing: "wth mint ${date}" writes it`,
    );
  }
  let text = fs.readFileSync(indexFile, "utf8");
  const list = /export const changes: VersionChange\[\] = \[([\s\S]*?)\];/.exec(text);
  if (list === null) {
    throw new VersionCommandError(
      `server/versions/changes/${date}/index.ts has no "export const changes: VersionChange[] = [...]" to add to`,
    );
  }
  const written: string[] = [];
  const names: string[] = [];
  const imports: string[] = [];
  for (const s of changes) {
    const file = path.join(dir, `${s.id}.ts`);
    if (fs.existsSync(file)) {
      manual.push(`${path.relative(root, file)} exists but does not answer ${s.declaration}`);
      continue;
    }
    fs.writeFileSync(file, fileFor(s));
    written.push(`${path.relative(root, file)}  ${s.declaration}`);
    names.push(camel(s.id));
    imports.push(`import { change as ${camel(s.id)} } from "./${s.id}.ts";`);
  }
  if (names.length > 0) {
    const current = (list[1] as string).trim().replace(/,$/, "");
    const all = current === "" ? names.join(", ") : `${current}, ${names.join(", ")}`;
    text = text.replace(list[0], `export const changes: VersionChange[] = [${all}];`);
    text = text.replace(
      'import type { VersionChange } from "../../change.ts";',
      (m) => `${m}\n${imports.join("\n")}`,
    );
    fs.writeFileSync(indexFile, text);
  }
  return { written, manual };
}
