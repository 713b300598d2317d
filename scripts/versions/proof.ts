/**
 * The version proof: for every version V older than the newest, the converters are run on
 * examples and generated instances and the results are validated against the documents, so a
 * converter that is missing, runs backwards, is keyed by a schema that does not occur, or never
 * reaches a nested object fails here, not in an integrator's parser.
 *
 * - Down: every example and generated instance of each response, webhook and error schema of the
 *   newest document is converted to V and validated against V's schema for the same operation,
 *   event type or error body.
 * - Up: every request example and generated request of V is converted to the newest version and
 *   validated against the newest document's request schema of the same operation.
 * - A response value of an enum that the newest version can send and V's document lacks is an
 *   uncovered finding of its own: it needs an `enumOf(...).had(...)` declaration.
 *
 * Each failure names the version change(s) of the hop that converted the schema at fault (or
 * "no version change" when none did), the schema and the JSON pointer, and the example.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Ajv2020Module from "ajv/dist/2020.js";
import type { VersionBundle } from "../../server/versions/change.ts";
import { createConverter, expandChange } from "../../server/versions/convert.ts";
import { schemaGraphOf } from "../../server/versions/schema-graph.ts";
import { instancesOf } from "./instances.ts";

// biome-ignore lint/suspicious/noExplicitAny: Ajv's CommonJS default export differs between type and runtime
const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as typeof Ajv2020Module;

type Doc = Record<string, unknown>;

export interface ProofFailure {
  version: string;
  kind: "response" | "webhook" | "error" | "request" | "uncovered-enum";
  /** The version changes of the hop that converted the failing schema, or none. */
  changes: string[];
  /** Where: `createListing 201 Listing`, `webhook order.shipped`, ... */
  subject: string;
  schema: string;
  pointer: string;
  message: string;
  /** Which instance: `example "dhl"` or `generated #3`. */
  example: string;
}

export interface VersionProof {
  ok: boolean;
  /** How many instances were converted and validated. */
  checked: number;
  failures: ProofFailure[];
}

const METHODS = ["get", "put", "post", "delete", "patch"];
const esc = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

interface Operation {
  id: string;
  pointer: string;
  op: Doc;
}

function operations(doc: Doc): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [p, item] of Object.entries((doc.paths ?? {}) as Record<string, Doc>)) {
    for (const m of METHODS) {
      const op = item?.[m] as Doc | undefined;
      if (typeof op?.operationId === "string") {
        out.set(op.operationId, { id: op.operationId, pointer: `/paths/${esc(p)}/${m}`, op });
      }
    }
  }
  return out;
}

function webhooks(doc: Doc): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [name, item] of Object.entries((doc.webhooks ?? {}) as Record<string, Doc>)) {
    const op = item?.post as Doc | undefined;
    if (op !== undefined) {
      out.set(name, { id: name, pointer: `/webhooks/${esc(name)}/post`, op });
    }
  }
  return out;
}

interface Body {
  /** JSON pointer of the media type object. */
  pointer: string;
  schema: Doc;
  examples: Array<{ name: string; value: unknown }>;
}

function jsonBody(content: unknown, pointer: string): Body | undefined {
  const media = (content as Record<string, Doc> | undefined)?.["application/json"];
  if (media?.schema === undefined) return undefined;
  const examples: Body["examples"] = [];
  for (const [name, ex] of Object.entries((media.examples ?? {}) as Record<string, Doc>)) {
    if (ex !== null && typeof ex === "object" && Object.hasOwn(ex, "value")) {
      examples.push({ name, value: ex.value });
    }
  }
  if (Object.hasOwn(media, "example")) examples.push({ name: "example", value: media.example });
  return { pointer: `${pointer}/content/application~1json`, schema: media.schema as Doc, examples };
}

function responses(op: Operation): Array<{ status: string; body: Body }> {
  const out: Array<{ status: string; body: Body }> = [];
  for (const [status, r] of Object.entries((op.op.responses ?? {}) as Record<string, Doc>)) {
    const body = jsonBody(r?.content, `${op.pointer}/responses/${esc(status)}`);
    if (body !== undefined) out.push({ status, body });
  }
  return out;
}

function requestBody(op: Operation): Body | undefined {
  const rb = op.op.requestBody as Doc | undefined;
  return jsonBody(rb?.content, `${op.pointer}/requestBody`);
}

/** The schema names met walking `instancePath` down `schema` (nested first wins last). */
function schemasAlong(graph: ReturnType<typeof schemaGraphOf>, schema: Doc, pointer: string) {
  const names = new Set<string>(graph.namesOf(schema));
  let node: Doc | undefined = schema;
  for (const raw of pointer.split("/").slice(1)) {
    if (node === undefined) break;
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const branches = (node.oneOf ?? node.anyOf ?? node.allOf) as Doc[] | undefined;
    const holders = [node, ...(branches ?? [])];
    let next: Doc | undefined;
    for (const h of holders) {
      const props = h.properties as Record<string, Doc> | undefined;
      next = /^\d+$/.test(key) ? (h.items as Doc | undefined) : props?.[key];
      if (next !== undefined) break;
    }
    node = next;
    if (node !== undefined) for (const n of graph.namesOf(node)) names.add(n);
    for (const b of (node?.oneOf ?? node?.anyOf ?? []) as Doc[]) {
      for (const n of graph.namesOf(b)) names.add(n);
    }
  }
  return names;
}

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * Ajv reports a failed `oneOf` with the errors of every branch; only the branch the value was
 * meant for explains the failure: the one of the value's JSON type whose `object` constant
 * matched, with the fewest errors.
 */
function closestBranch<E extends AjvError>(errors: E[]): E[] {
  const branchOf = (e: E) => /^(.*?\/(?:oneOf|anyOf)\/)(\d+)\//.exec(e.schemaPath);
  const score = new Map<string, Map<string, number>>();
  for (const e of errors) {
    const m = branchOf(e);
    if (m === null) continue;
    const key = m[1] as string;
    const branches = score.get(key) ?? new Map<string, number>();
    // A branch of another JSON type, or for another `object`, was never the one meant.
    const wrongObject = e.keyword === "const" && e.instancePath.endsWith("/object");
    const weight = wrongObject ? 1e6 : e.keyword === "type" ? 1e3 : 1;
    branches.set(m[2] as string, (branches.get(m[2] as string) ?? 0) + weight);
    score.set(key, branches);
  }
  const best = new Map<string, string>();
  for (const [key, branches] of score) {
    const [winner] = [...branches.entries()].sort((a, b) => a[1] - b[1])[0] ?? [];
    if (winner !== undefined) best.set(key, winner);
  }
  const kept = errors.filter((e) => {
    const m = branchOf(e);
    return (
      m === null || best.get(m[1] as string) === undefined || best.get(m[1] as string) === m[2]
    );
  });
  // The oneOf error itself only says "no branch fits"; the kept branch errors say why.
  const explained = kept.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf");
  return explained.length > 0 ? explained : kept;
}

export interface ProofInput {
  /** Every version, oldest first, with its bundled document. */
  versions: ReadonlyArray<{ version: string; document: Doc }>;
  bundle: VersionBundle;
  /** Generated instances per schema at most (examples always all run). */
  limit?: number;
}

export function proveVersions(input: ProofInput): VersionProof {
  const { versions, bundle } = input;
  const limit = input.limit ?? 120;
  const docs = new Map(versions.map((v) => [v.version, v.document]));
  const newestEntry = versions.at(-1);
  if (newestEntry === undefined || versions.length < 2) {
    return { ok: true, checked: 0, failures: [] };
  }
  const newest = newestEntry.version;
  const newestDoc = newestEntry.document;
  const converter = createConverter(
    bundle,
    (v) => docs.get(v),
    versions.map((v) => v.version),
  );
  const graph = schemaGraphOf(newestDoc);
  const failures: ProofFailure[] = [];
  let checked = 0;

  const validators = new Map<string, InstanceType<typeof Ajv2020>>();
  const ajvOf = (version: string) => {
    let ajv = validators.get(version);
    if (ajv === undefined) {
      ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
      ajv.addSchema(docs.get(version) as Doc, version);
      validators.set(version, ajv);
    }
    return ajv;
  };
  const validate = (version: string, pointer: string, value: unknown) => {
    const fn = ajvOf(version).getSchema(`${version}#${pointer}/schema`);
    if (fn === undefined) {
      return [
        { instancePath: "", message: `${version} has no ${pointer}`, keyword: "", params: {} },
      ];
    }
    return fn(value) ? [] : closestBranch(fn.errors ?? []);
  };

  /** Which changes of the hops after `version` convert one of `names`. */
  const culprits = (version: string, names: Set<string>, key: "response" | "requestSchema") => {
    const out: string[] = [];
    for (const [i, dated] of bundle.entries()) {
      if (dated.version <= version) continue;
      const before = i === 0 ? version : (bundle[i - 1]?.version as string);
      for (const change of dated.changes) {
        const expansion = expandChange(change, {
          newer: docs.get(dated.version),
          older: docs.get(before),
        });
        const keys = Object.keys(expansion[key] ?? {});
        if (keys.some((k) => names.has(k))) {
          out.push(`${change.id} (${dated.version})`);
        }
      }
    }
    return out;
  };

  const schemaName = (s: Doc) => graph.namesOf(s)[0];
  /** The newest document's schema whose `object` property is the constant `value`. */
  const componentOfObject = (value: unknown): string | undefined => {
    const schemas = ((newestDoc.components as Doc | undefined)?.schemas ?? {}) as Record<
      string,
      Doc
    >;
    for (const [name, s] of Object.entries(schemas)) {
      if (((s.properties as Doc | undefined)?.object as Doc | undefined)?.const === value)
        return name;
    }
    return undefined;
  };

  /** Instances of a newest body: its examples, then generated ones valid in the newest. */
  const instances = (body: Body, version: string) => {
    const out: Array<{ label: string; value: unknown }> = body.examples.map((e) => ({
      label: `example "${e.name}"`,
      value: e.value,
    }));
    for (const [i, value] of instancesOf(body.schema, limit).entries()) {
      if (validate(version, body.pointer, value).length === 0) {
        out.push({ label: `generated #${i + 1} ${JSON.stringify(value).slice(0, 160)}`, value });
      }
    }
    return out;
  };

  const down = (
    kind: ProofFailure["kind"],
    subject: string,
    newestBody: Body,
    olderBody: Body,
    version: string,
    render: (value: unknown) => unknown,
  ) => {
    const name = schemaName(newestBody.schema) ?? "(inline schema)";
    const seenEnum = new Set<string>();
    for (const { label, value } of instances(newestBody, newest)) {
      checked++;
      let converted: unknown;
      try {
        converted = render(structuredClone(value));
      } catch (error) {
        failures.push({
          version,
          kind,
          changes: culprits(version, new Set([name]), "response"),
          subject,
          schema: name,
          pointer: "",
          message: `the converter threw: ${(error as Error).message}`,
          example: label,
        });
        continue;
      }
      for (const e of validate(version, olderBody.pointer, converted)) {
        const at = e.instancePath || "/";
        const names = schemasAlong(graph, newestBody.schema, e.instancePath);
        if (e.keyword === "enum") {
          const got = e.instancePath
            .split("/")
            .slice(1)
            .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], converted);
          const key = `${[...names].at(-1)}:${String(got)}`;
          if (seenEnum.has(key)) continue;
          seenEnum.add(key);
          failures.push({
            version,
            kind: "uncovered-enum",
            changes: culprits(version, names, "response"),
            subject,
            schema: [...names].at(-1) ?? name,
            pointer: at,
            message: `${newest} can send ${JSON.stringify(got)}, which ${version}'s document does not have: declare enumOf(...).had({ <old value>: ${JSON.stringify(got)} })`,
            example: label,
          });
          continue;
        }
        const { missingProperty: missing, additionalProperty: extra } = e.params as {
          missingProperty?: string;
          additionalProperty?: string;
        };
        const named = missing ?? extra;
        failures.push({
          version,
          kind,
          changes: culprits(version, names, "response"),
          subject,
          schema: [...names].at(-1) ?? name,
          pointer: named === undefined ? at : `${e.instancePath}/${named}`,
          message: `${e.message ?? e.keyword} in ${version}'s document`,
          example: label,
        });
      }
    }
  };

  const newestOps = operations(newestDoc);
  const newestHooks = webhooks(newestDoc);
  for (const { version, document } of versions.slice(0, -1)) {
    const olderOps = operations(document);
    // Responses and errors, per operation both versions have.
    for (const [id, op] of newestOps) {
      const older = olderOps.get(id);
      if (older === undefined) continue;
      const olderResponses = new Map(responses(older).map((r) => [r.status, r.body]));
      for (const { status, body } of responses(op)) {
        const olderBody = olderResponses.get(status);
        if (olderBody === undefined) continue;
        const name = schemaName(body.schema);
        const isError = /^[45]/.test(status);
        if (isError) {
          down("error", `${id} ${status}`, body, olderBody, version, (v) =>
            converter.renderErrorForVersion(version, id, v as never),
          );
        } else if (name !== undefined) {
          down("response", `${id} ${status} ${name}`, body, olderBody, version, (v) =>
            converter.renderForVersion(version, name, v as Record<string, unknown>),
          );
        }
      }
    }
    // Webhooks, per event type both versions have.
    const olderHooks = webhooks(document);
    for (const [type, hook] of newestHooks) {
      const older = olderHooks.get(type);
      const body = requestBody(hook);
      const olderBody = older === undefined ? undefined : requestBody(older);
      if (body === undefined || olderBody === undefined) continue;
      down("webhook", `webhook ${type}`, body, olderBody, version, (v) => {
        const envelope = v as { data?: { object?: Record<string, unknown> } };
        const object = envelope.data?.object;
        const objectName = object === undefined ? undefined : componentOfObject(object.object);
        if (object === undefined || objectName === undefined) return v;
        // As the server renders a delivery: the envelope's data.object by its schema.
        return {
          ...envelope,
          api_version: version,
          data: {
            ...envelope.data,
            object: converter.renderForVersion(version, objectName, object),
          },
        };
      });
    }
    // Requests up: V's examples and generated requests, validated against the newest.
    const olderGraph = schemaGraphOf(document);
    for (const [id, older] of olderOps) {
      const op = newestOps.get(id);
      const olderBody = requestBody(older);
      const newestBody = op === undefined ? undefined : requestBody(op);
      if (olderBody === undefined || newestBody === undefined) continue;
      const name = olderGraph.namesOf(olderBody.schema)[0] ?? "(inline schema)";
      const sent: Array<{ label: string; value: unknown }> = olderBody.examples.map((e) => ({
        label: `example "${e.name}" of ${version}`,
        value: e.value,
      }));
      for (const [i, value] of instancesOf(olderBody.schema, limit).entries()) {
        if (validate(version, olderBody.pointer, value).length === 0) {
          sent.push({
            label: `generated #${i + 1} ${JSON.stringify(value).slice(0, 160)}`,
            value,
          });
        }
      }
      for (const { label, value } of sent) {
        checked++;
        let up: unknown;
        try {
          up = converter.upgradeRequest(version, id, structuredClone(value) as never);
        } catch (error) {
          failures.push({
            version,
            kind: "request",
            changes: culprits(version, new Set([name]), "requestSchema"),
            subject: `${id} request`,
            schema: name,
            pointer: "",
            message: `the converter threw: ${(error as Error).message}`,
            example: label,
          });
          continue;
        }
        for (const e of validate(newest, newestBody.pointer, up)) {
          const missing = (e.params as { missingProperty?: string } | undefined)?.missingProperty;
          const extra = (e.params as { additionalProperty?: string } | undefined)
            ?.additionalProperty;
          const names = schemasAlong(olderGraph, olderBody.schema, e.instancePath);
          failures.push({
            version,
            kind: "request",
            changes: culprits(version, names, "requestSchema"),
            subject: `${id} request`,
            schema: [...names].at(-1) ?? name,
            pointer:
              missing !== undefined
                ? `${e.instancePath}/${missing}`
                : extra !== undefined
                  ? `${e.instancePath}/${extra}`
                  : e.instancePath || "/",
            message: `${e.message ?? e.keyword} in ${newest}'s document`,
            example: label,
          });
        }
      }
    }
  }
  return { ok: failures.length === 0, checked, failures };
}

/** One report line per distinct failure (the same fault in many instances is shown once). */
export function renderProof(proof: VersionProof, max = 40): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const f of proof.failures) {
    const key = `${f.version}|${f.kind}|${f.subject}|${f.schema}|${f.pointer}|${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > max) continue;
    const by =
      f.changes.length > 0 ? `version change ${f.changes.join(", ")}` : "no version change";
    const tag = f.kind === "uncovered-enum" ? "UNCOVERED ENUM" : "PROOF FAILS";
    lines.push(`${tag}  ${f.version}  ${f.subject}: ${f.schema} ${f.pointer}: ${f.message}`);
    lines.push(`    converted by: ${by}; instance: ${f.example}`);
  }
  if (seen.size > max) lines.push(`    … and ${seen.size - max} more`);
  return lines.join("\n");
}

/** The content hash the start-up proof is cached under: documents and version changes. */
export function proofHash(root: string, versions: ReadonlyArray<{ version: string }>): string {
  const hash = crypto.createHash("sha256");
  for (const { version } of versions) {
    const file = path.join(root, "generated", version, "openapi.json");
    hash.update(version);
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  const dir = path.join(root, "server", "versions");
  const walk = (d: string) => {
    for (const entry of fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".ts")) {
        hash.update(path.relative(root, p));
        hash.update(fs.readFileSync(p));
      }
    }
  };
  walk(dir);
  return hash.digest("hex");
}
