/**
 * Benchmark of `wth diff` against the Optic CLI on generated pairs of documents.
 *
 * A seeded generator writes a large pair (≥ 1,500 operations, ≥ 3,000 schemas, a few hundred
 * planted changes, each known to be breaking or not) and a small pair (a few hundred operations)
 * to a temp dir. Both tools run as child processes on the same files; we time them, sample their
 * peak RSS from /proc, and compare what each reports against the planted changes.
 *
 *   npm run bench -- diff [--resources 300] [--small 60] [--optic-timeout 300] [--no-optic]
 *                         [--out <dir>: keep the generated pairs there]
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Finding } from "../scripts/diff/types.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

type Json = Record<string, unknown>;

/** Deterministic randomness (mulberry32): the same seed plants the same changes every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planted {
  kind: string;
  breaking: boolean;
  /** Operations (`METHOD /path`) where the change shows. */
  operations: string[];
}

const KINDS: { kind: string; breaking: boolean }[] = [
  { kind: "response-field-removed", breaking: true },
  { kind: "request-max-length-lowered", breaking: true },
  { kind: "required-request-field-added", breaking: true },
  { kind: "query-enum-value-removed", breaking: true },
  { kind: "operation-removed", breaking: true },
  { kind: "response-field-made-nullable", breaking: true },
  { kind: "meaning-changed", breaking: true },
  { kind: "request-pattern-added", breaking: true },
  { kind: "query-parameter-made-required", breaking: true },
  { kind: "response-type-changed", breaking: true },
  { kind: "optional-request-field-added", breaking: false },
  { kind: "response-field-added", breaking: false },
  { kind: "description-reworded", breaking: false },
  { kind: "operation-added", breaking: false },
  { kind: "schema-inlined-from-ref", breaking: false },
  { kind: "request-max-length-raised", breaking: false },
  { kind: "limit-default-changed", breaking: true },
  { kind: "path-parameter-renamed", breaking: false },
  { kind: "properties-reordered", breaking: false },
  { kind: "nullable-respelled", breaking: false },
  { kind: "webhook-removed", breaking: true },
  { kind: "webhook-payload-field-made-optional", breaking: true },
];

const STATUSES = ["draft", "active", "paused", "archived", "deleted"];

/** One resource: 5 operations (list, create, retrieve, update, delete) and 10 schemas. */
function resource(i: number, doc: Json, rand: () => number): void {
  const name = `Thing${i}`;
  const base = `/v1/things${i}`;
  const schemas = (doc.components as { schemas: Json }).schemas;
  const ref = (n: string) => ({ $ref: `#/components/schemas/${n}` });
  const fields = 4 + Math.floor(rand() * 4);
  const props: Json = {
    id: { type: "string", pattern: `^t${i}_[0-9a-zA-Z]{8,64}$` },
    object: { type: "string", enum: [`thing${i}`] },
    status: ref(`${name}Status`),
    price: { type: "integer", minimum: 0, "x-meaning": "amount-in-minor-units-of-currency" },
    address: ref(`${name}Address`),
    created_at: { type: "string", format: "date-time" },
  };
  for (let f = 0; f < fields; f++)
    props[`field_${f}`] = {
      type: "string",
      maxLength: 100 + f,
      description: `Field ${f} of ${name}.`,
    };
  schemas[name] = {
    type: "object",
    required: Object.keys(props),
    properties: props,
    description: `A ${name}.`,
  };
  schemas[`${name}Status`] = { type: "string", enum: STATUSES };
  schemas[`${name}Address`] = {
    type: "object",
    required: ["line1", "city", "country"],
    properties: {
      line1: { type: "string", maxLength: 200 },
      city: { type: "string", maxLength: 100 },
      country: { type: "string", pattern: "^[A-Z]{2}$" },
    },
  };
  const requestProps: Json = {
    price: { type: "integer", minimum: 0, "x-meaning": "amount-in-minor-units-of-currency" },
  };
  for (let f = 0; f < fields; f++)
    requestProps[`field_${f}`] = { type: "string", maxLength: 100 + f };
  schemas[`${name}CreateRequest`] = {
    type: "object",
    additionalProperties: false,
    required: ["price"],
    properties: { ...requestProps },
  };
  schemas[`${name}UpdateRequest`] = {
    type: "object",
    additionalProperties: false,
    properties: { ...requestProps, status: ref(`${name}Status`) },
  };
  schemas[`${name}List`] = {
    type: "object",
    required: ["object", "data", "has_more", "next_cursor"],
    properties: {
      object: { type: "string", enum: ["list"] },
      data: { type: "array", items: ref(name) },
      has_more: { type: "boolean" },
      next_cursor: { type: ["string", "null"] },
    },
  };
  schemas[`${name}Deleted`] = {
    type: "object",
    required: ["id", "deleted"],
    properties: { id: { type: "string" }, deleted: { type: "boolean", enum: [true] } },
  };
  schemas[`${name}Metadata`] = {
    type: "object",
    additionalProperties: { type: "string", maxLength: 500 },
    maxProperties: 20,
  };
  schemas[`${name}Note`] = {
    type: "object",
    properties: { text: { type: "string", maxLength: 1000 } },
  };
  schemas[`${name}Summary`] = {
    type: "object",
    properties: { id: { type: "string" }, status: ref(`${name}Status`) },
  };
  const json = (schema: unknown) => ({ "application/json": { schema } });
  const errors = {
    "400": { $ref: "#/components/responses/BadRequest" },
    "404": { $ref: "#/components/responses/NotFound" },
  };
  const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
  const paths = doc.paths as Json;
  paths[base] = {
    get: {
      operationId: `list${name}`,
      summary: `List ${name}`,
      parameters: [
        {
          name: "limit",
          in: "query",
          schema: { type: "integer", minimum: 1, maximum: 100, default: 20 },
        },
        { name: "starting_after", in: "query", schema: { type: "string", maxLength: 512 } },
        { name: "status", in: "query", schema: { type: "string", enum: STATUSES } },
      ],
      responses: {
        "200": { description: "A page.", content: json(ref(`${name}List`)) },
        ...errors,
      },
    },
    post: {
      operationId: `create${name}`,
      summary: `Create a ${name}`,
      requestBody: { required: true, content: json(ref(`${name}CreateRequest`)) },
      responses: { "201": { description: "Created.", content: json(ref(name)) }, ...errors },
    },
  };
  (doc.webhooks as Json)[`thing${i}.updated`] = {
    post: {
      operationId: `thing${i}Updated`,
      requestBody: {
        required: true,
        content: json({
          type: "object",
          required: ["id", "type", "data"],
          properties: {
            id: { type: "string", pattern: "^evt_[0-9a-zA-Z]+$" },
            type: { const: `thing${i}.updated` },
            data: { type: "object", required: ["object"], properties: { object: ref(name) } },
          },
        }),
      },
      responses: { "2XX": { description: "Any 2xx acknowledges." } },
    },
  };
  paths[`${base}/{id}`] = {
    get: {
      operationId: `retrieve${name}`,
      summary: `Retrieve a ${name}`,
      parameters: [idParam],
      responses: { "200": { description: "The object.", content: json(ref(name)) }, ...errors },
    },
    patch: {
      operationId: `update${name}`,
      summary: `Update a ${name}`,
      parameters: [idParam],
      requestBody: { required: true, content: json(ref(`${name}UpdateRequest`)) },
      responses: { "200": { description: "The object.", content: json(ref(name)) }, ...errors },
    },
    delete: {
      operationId: `delete${name}`,
      summary: `Delete a ${name}`,
      parameters: [idParam],
      responses: {
        "200": { description: "Deleted.", content: json(ref(`${name}Deleted`)) },
        ...errors,
      },
    },
  };
}

function baseDocument(resources: number, seed: number): Json {
  const rand = prng(seed);
  const doc: Json = {
    openapi: "3.1.0",
    info: { title: "Generated benchmark API", version: "2026-05-07" },
    paths: {},
    webhooks: {},
    components: {
      schemas: {
        ErrorCode: {
          type: "string",
          enum: ["parameter_invalid", "resource_not_found", "rate_limited"],
        },
        ErrorResponse: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { $ref: "#/components/schemas/ErrorCode" },
                message: { type: "string" },
              },
            },
          },
        },
      },
      responses: {
        BadRequest: {
          description: "Bad request.",
          content: {
            "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } },
          },
        },
        NotFound: {
          description: "Not found.",
          content: {
            "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } },
          },
        },
      },
    },
  };
  for (let i = 0; i < resources; i++) resource(i, doc, rand);
  return doc;
}

function listParameters(paths: Record<string, Record<string, Json>>, base: string): Json[] {
  const params = paths[base]?.get?.parameters;
  if (!Array.isArray(params))
    throw new Error(`generated document has no list operation at ${base}`);
  return params as Json[];
}

/** Applies `count` changes to distinct resources of a copy of the base document. */
function plant(
  base: Json,
  resources: number,
  count: number,
  seed: number,
): { doc: Json; planted: Planted[] } {
  const doc = structuredClone(base);
  const rand = prng(seed * 7 + 1);
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const order = [...Array(resources).keys()].sort(() => rand() - 0.5);
  const planted: Planted[] = [];
  for (let n = 0; n < Math.min(count, resources); n++) {
    const i = order[n] as number;
    const { kind, breaking } = KINDS[n % KINDS.length] as (typeof KINDS)[number];
    const name = `Thing${i}`;
    const base = `/v1/things${i}`;
    const item = `${base}/{id}`;
    const readers = [`GET ${base}`, `POST ${base}`, `GET ${item}`, `PATCH ${item}`];
    const resourceProps = (schemas[name] as { properties: Json; required: string[] }).properties;
    const create = schemas[`${name}CreateRequest`] as {
      properties: Record<string, Json>;
      required: string[];
    };
    let operations: string[] = [];
    switch (kind) {
      case "response-field-removed": {
        delete resourceProps.field_0;
        const s = schemas[name] as { required: string[] };
        s.required = s.required.filter((r) => r !== "field_0");
        operations = readers;
        break;
      }
      case "request-max-length-lowered":
        (create.properties.field_0 as Json).maxLength = 10;
        operations = [`POST ${base}`];
        break;
      case "required-request-field-added":
        create.properties.reference = { type: "string", maxLength: 50 };
        create.required.push("reference");
        operations = [`POST ${base}`];
        break;
      case "query-enum-value-removed": {
        const p = listParameters(paths, base)[2] as { schema: { enum: string[] } };
        p.schema.enum = STATUSES.filter((s) => s !== "paused");
        operations = [`GET ${base}`];
        break;
      }
      case "operation-removed":
        delete paths[item]?.delete;
        operations = [`DELETE ${item}`];
        break;
      case "response-field-made-nullable":
        resourceProps.field_1 = {
          type: ["string", "null"],
          maxLength: 101,
          description: `Field 1 of ${name}.`,
        };
        operations = readers;
        break;
      case "meaning-changed":
        (resourceProps.price as Json)["x-meaning"] = "amount-in-major-units-of-currency";
        (create.properties.price as Json)["x-meaning"] = "amount-in-major-units-of-currency";
        operations = readers;
        break;
      case "request-pattern-added":
        (create.properties.field_0 as Json).pattern = "^[a-z ]+$";
        operations = [`POST ${base}`];
        break;
      case "query-parameter-made-required": {
        const p = listParameters(paths, base)[2] as Json;
        p.required = true;
        operations = [`GET ${base}`];
        break;
      }
      case "response-type-changed":
        resourceProps.price = { type: "string", "x-meaning": "amount-in-minor-units-of-currency" };
        operations = readers;
        break;
      case "optional-request-field-added":
        create.properties.note = { type: "string", maxLength: 500 };
        operations = [`POST ${base}`];
        break;
      case "response-field-added":
        resourceProps.updated_at = { type: "string", format: "date-time" };
        operations = readers;
        break;
      case "description-reworded":
        (resourceProps.field_0 as Json).description = `The first field of ${name}, reworded.`;
        operations = readers;
        break;
      case "operation-added":
        paths[`${item}/archive`] = {
          post: {
            operationId: `archive${name}`,
            parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
            responses: {
              "200": {
                description: "Archived.",
                content: {
                  "application/json": { schema: { $ref: `#/components/schemas/${name}` } },
                },
              },
            },
          },
        };
        operations = [`POST ${item}/archive`];
        break;
      case "schema-inlined-from-ref": {
        // The address schema is inlined where it was referenced: a pure refactor.
        resourceProps.address = structuredClone(schemas[`${name}Address`]);
        operations = readers;
        break;
      }
      case "limit-default-changed": {
        const p = listParameters(paths, base)[0] as { schema: Json };
        p.schema.default = 10;
        operations = [`GET ${base}`];
        break;
      }
      case "path-parameter-renamed": {
        const renamed = `${base}/{thing_id}`;
        const itemPath = paths[item] as Record<string, Json>;
        for (const op of Object.values(itemPath)) {
          op.parameters = [
            { name: "thing_id", in: "path", required: true, schema: { type: "string" } },
          ];
        }
        delete paths[item];
        paths[renamed] = itemPath;
        operations = ["GET", "PATCH", "DELETE"].flatMap((m) => [`${m} ${item}`, `${m} ${renamed}`]);
        break;
      }
      case "properties-reordered": {
        const s = schemas[name] as { properties: Json };
        s.properties = Object.fromEntries(Object.entries(s.properties).reverse());
        operations = readers;
        break;
      }
      case "nullable-respelled": {
        const list = schemas[`${name}List`] as { properties: Json };
        list.properties.next_cursor = { oneOf: [{ type: "string" }, { type: "null" }] };
        operations = [`GET ${base}`];
        break;
      }
      case "webhook-removed":
        delete (doc.webhooks as Json)[`thing${i}.updated`];
        operations = [`thing${i}.updated`];
        break;
      case "webhook-payload-field-made-optional": {
        const hook = (doc.webhooks as Record<string, { post: Json }>)[`thing${i}.updated`];
        const body = hook?.post.requestBody as {
          content: Record<string, { schema: { required: string[] } }>;
        };
        const schema = body.content["application/json"]?.schema;
        if (schema !== undefined) schema.required = ["type", "data"];
        operations = [`thing${i}.updated`];
        break;
      }
      case "request-max-length-raised":
        (create.properties.field_0 as Json).maxLength = 1000;
        operations = [`POST ${base}`];
        break;
    }
    planted.push({ kind, breaking, operations });
  }
  return { doc, planted };
}

interface Measured {
  seconds: number;
  peakMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a child process, sampling its peak resident memory from /proc, bounded by a timeout. */
function measure(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutS: number,
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let peak = 0;
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const pid = child.pid as number;
    const sample = () => {
      // The tool may run in child processes of its own (npx → node): sum the process group.
      try {
        let total = 0;
        for (const p of [pid, ...descendants(pid)]) {
          const status = readFileSync(`/proc/${p}/status`, "utf8");
          const m = /VmRSS:\s+(\d+) kB/.exec(status);
          if (m !== null) total += Number(m[1]);
        }
        peak = Math.max(peak, total);
      } catch {
        // the process ended between listing and reading
      }
    };
    const sampler = setInterval(sample, 50);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, timeoutS * 1000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(sampler);
      clearTimeout(timer);
      resolve({
        seconds: (performance.now() - started) / 1000,
        peakMb: peak / 1024,
        code,
        stdout,
        stderr,
        timedOut,
      });
    });
  });
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    for (const c of children.split(/\s+/).filter(Boolean).map(Number))
      out.push(c, ...descendants(c));
  } catch {
    // no such process any more
  }
  return out;
}

/** Which operations a tool flagged as breaking, from its output. */
function wthBreaking(stdout: string): Set<string> {
  const report = JSON.parse(stdout) as { findings: Finding[] };
  return new Set(
    report.findings
      .filter((f) => f.breaking)
      .map((f) => f.location.operation ?? f.location.webhook ?? "document"),
  );
}

/**
 * Optic's `--json` output is a changelog without check results, so we read its text report:
 * a line `x METHOD /path: ...` opens an operation, and `x [rule name] ...` under it is a failed
 * (breaking) check.
 */
function opticBreaking(stdout: string): Set<string> {
  const out = new Set<string>();
  let current: string | undefined;
  for (const line of stdout.split("\n")) {
    const op = /^\S+ (GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) (\S+?):/.exec(line);
    if (op !== null) {
      current = `${op[1]} ${op[2]}`;
      continue;
    }
    if (current !== undefined && /^\s+\S+ \[[^\]]+\]/.test(line)) out.add(current);
  }
  return out;
}

function score(planted: Planted[], flagged: Set<string>) {
  const caught = (p: Planted) => p.operations.some((op) => flagged.has(op));
  const breaking = planted.filter((p) => p.breaking);
  const safe = planted.filter((p) => !p.breaking);
  return {
    missed: breaking.filter((p) => !caught(p)),
    falseAlarms: safe.filter((p) => caught(p)),
    breaking: breaking.length,
    safe: safe.length,
  };
}

function count(doc: Json) {
  let ops = 0;
  for (const item of Object.values(doc.paths as Record<string, Json>))
    ops += Object.keys(item).length;
  return { ops, schemas: Object.keys((doc.components as { schemas: Json }).schemas).length };
}

function byKind(list: Planted[]): string {
  if (list.length === 0) return "none";
  const m = new Map<string, number>();
  for (const p of list) m.set(p.kind, (m.get(p.kind) ?? 0) + 1);
  return [...m].map(([k, n]) => `${k} ×${n}`).join(", ");
}

async function pair(
  label: string,
  resources: number,
  changes: number,
  dir: string,
  opticTimeout: number,
  withOptic: boolean,
) {
  const base = baseDocument(resources, 7);
  const { doc, planted } = plant(base, resources, changes, 7);
  const a = path.join(dir, `${label}-base.json`);
  const b = path.join(dir, `${label}-revision.json`);
  writeFileSync(a, JSON.stringify(base));
  writeFileSync(b, JSON.stringify(doc));
  const size = count(base);
  const mb = (readFileSync(a).length / 1e6).toFixed(1);
  console.log(
    `\n## ${label} pair: ${size.ops} operations, ${size.schemas} schemas, ${mb} MB each, ${planted.length} planted changes (${planted.filter((p) => p.breaking).length} breaking)`,
  );

  const wth = await measure(
    process.execPath,
    [path.join(root, "scripts/wth.js"), "diff", a, b, "--format", "json", "--timings"],
    process.env,
    600,
  );
  const wthScore = score(planted, wthBreaking(wth.stdout));
  console.log(
    `wth diff    ${wth.seconds.toFixed(2)} s, peak RSS ${wth.peakMb.toFixed(0)} MB, exit ${wth.code}`,
  );
  // Where the time went inside wth diff, by rule family (printed by `wth diff --timings`).
  const timings = /^timings: (.*)$/m.exec(wth.stderr)?.[1];
  if (timings !== undefined) console.log(`            by rule family: ${timings}`);
  console.log(
    `            missed breaking: ${wthScore.missed.length}/${wthScore.breaking} (${byKind(wthScore.missed)}); false alarms: ${wthScore.falseAlarms.length}/${wthScore.safe} (${byKind(wthScore.falseAlarms)})`,
  );
  if (!withOptic) return;
  const optic = path.join(root, "node_modules/.bin/optic");
  if (!existsSync(optic)) {
    console.log("optic       not installed (npm install): skipped");
    return;
  }
  const env = { ...process.env, OPTIC_TELEMETRY_LEVEL: "off", NO_UPDATE_NOTIFIER: "1", CI: "true" };
  const o = await measure(optic, ["diff", a, b, "--check"], env, opticTimeout);
  if (o.timedOut) {
    console.log(`optic diff  > ${opticTimeout} s (stopped), peak RSS ${o.peakMb.toFixed(0)} MB`);
    console.log(`ratio       optic / wth > ${(opticTimeout / wth.seconds).toFixed(1)}×`);
    return;
  }
  const opticScore = score(planted, opticBreaking(o.stdout));
  console.log(
    `optic diff  ${o.seconds.toFixed(2)} s, peak RSS ${o.peakMb.toFixed(0)} MB, exit ${o.code}`,
  );
  console.log(
    `            missed breaking: ${opticScore.missed.length}/${opticScore.breaking} (${byKind(opticScore.missed)}); false alarms: ${opticScore.falseAlarms.length}/${opticScore.safe} (${byKind(opticScore.falseAlarms)})`,
  );
  console.log(
    `ratio       optic / wth = ${(o.seconds / wth.seconds).toFixed(1)}× (wth is ${o.seconds > wth.seconds ? "faster" : "slower"})`,
  );
  const wthFlagged = wthBreaking(wth.stdout);
  const opticFlagged = opticBreaking(o.stdout);
  const disagree = planted.filter(
    (p) =>
      p.operations.some((x) => wthFlagged.has(x)) !== p.operations.some((x) => opticFlagged.has(x)),
  );
  console.log(`disagree on ${disagree.length} planted changes: ${byKind(disagree)}`);
}

export async function run(args: string[]): Promise<void> {
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const resources = flag("--resources", 300);
  const small = flag("--small", 60);
  const opticTimeout = flag("--optic-timeout", 300);
  const withOptic = !args.includes("--no-optic");
  const outIndex = args.indexOf("--out");
  const keep = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const dir = keep ?? mkdtempSync(path.join(tmpdir(), "wth-bench-diff-"));
  try {
    console.log(
      "# wth diff benchmark (baseline: Optic CLI 1.0.9, `optic diff a b --check`, same files, same run)",
    );
    await pair("small", small, small, dir, opticTimeout, withOptic);
    await pair("large", resources, resources, dir, opticTimeout, withOptic);
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
