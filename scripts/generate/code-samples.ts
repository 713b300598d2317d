/**
 * The code samples of the reference (`x-codeSamples`, which Redoc shows in the right panel):
 * for every operation, a curl command and a TypeScript program using the version's typed
 * client. Both are built from the operation's own request example (path parameters, the
 * request body, the Idempotency-Key), with the API key read from the environment, so a sample
 * runs as shown once `WTH_API_KEY` is set. test/docs/code-samples.test.ts compiles and runs
 * every one of them against a live server.
 */
import type { JsonValue, OpenApiDocument } from "./context.ts";

/** One sample as Redoc reads it. */
export interface CodeSample {
  lang: "Shell" | "TypeScript";
  label: string;
  source: string;
}

/** The samples of one operation, keyed by operationId in `code-samples.json`. */
export interface OperationSamples {
  method: string;
  path: string;
  curl: string;
  typescript: string;
}

export interface SampleSettings {
  /** The base URL every sample calls (the document's first server). */
  baseUrl: string;
  /** The npm name of the version's client package. */
  packageName: string;
}

type JsonObject = { [key: string]: JsonValue };

const METHODS = ["get", "put", "post", "patch", "delete"] as const;

/** The environment variable every sample reads the key from. */
export const API_KEY_VARIABLE = "WTH_API_KEY";

/**
 * Builds the samples of every operation of a dereferenced document, in document order. Where the
 * document gives no example, the sample shows a placeholder (`LISTING_ID`) rather than a made-up
 * value; test/docs/code-samples.test.ts fails on any placeholder in a real version's samples.
 */
export function operationSamples(
  document: OpenApiDocument,
  settings: SampleSettings,
): Map<string, OperationSamples> {
  const samples = new Map<string, OperationSamples>();
  const paths = asObject(document.paths);
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = asObject(rawItem);
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const op = asObject(operation);
      const operationId = op.operationId;
      if (typeof operationId !== "string") {
        throw new Error(`code samples: ${method.toUpperCase()} ${path} has no operationId`);
      }
      const request = requestOf(path, item, op);
      samples.set(operationId, {
        method: method.toUpperCase(),
        path,
        curl: curlSample(method, request, settings),
        typescript: typescriptSample(method, request, settings),
      });
    }
  }
  return samples;
}

/** The x-codeSamples list Redoc shows for one operation. */
export function redocSamples(samples: OperationSamples): CodeSample[] {
  return [
    { lang: "Shell", label: "curl", source: samples.curl },
    { lang: "TypeScript", label: "TypeScript", source: samples.typescript },
  ];
}

/** What a sample sends, taken from the operation's examples. */
interface ExampleRequest {
  path: string;
  pathParams: [string, string][];
  query: [string, JsonValue][];
  idempotencyKey: string | undefined;
  body: JsonValue | undefined;
}

function requestOf(path: string, item: JsonObject, op: JsonObject): ExampleRequest {
  const parameters = [...asArray(item.parameters), ...asArray(op.parameters)].map(asObject);
  const request: ExampleRequest = {
    path,
    pathParams: [],
    query: [],
    idempotencyKey: undefined,
    body: undefined,
  };
  for (const parameter of parameters) {
    const name = String(parameter.name);
    const example = parameterExample(parameter);
    const where = parameter.in;
    // Only what a first call needs: path parameters, required query parameters, the page size.
    // An example cursor (`starting_after`) would be refused as foreign by any real server.
    const wanted =
      where === "path" ||
      (where === "query" && (parameter.required === true || name === "limit")) ||
      (where === "header" && name === "Idempotency-Key");
    if (!wanted) continue;
    const value = example ?? placeholder(name);
    if (where === "path") request.pathParams.push([name, String(value)]);
    else if (where === "query") request.query.push([name, value]);
    else request.idempotencyKey = String(value);
  }
  const body = asObject(op.requestBody ?? {});
  const json = asObject(asObject(body.content ?? {})["application/json"] ?? {});
  if (json.schema !== undefined) {
    const examples = asObject(json.examples ?? {});
    const first = Object.values(examples)[0];
    const value = first === undefined ? json.example : asObject(first).value;
    request.body = value ?? {};
  }
  return request;
}

/** What a sample shows for a value the document has no example of. */
export function placeholder(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

function parameterExample(parameter: JsonObject): JsonValue | undefined {
  if (parameter.example !== undefined) return parameter.example;
  const first = Object.values(asObject(parameter.examples ?? {}))[0];
  if (first !== undefined) return asObject(first).value;
  return asObject(parameter.schema ?? {}).example;
}

function concretePath(request: ExampleRequest): string {
  let path = request.path;
  for (const [name, value] of request.pathParams) {
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  }
  const query = request.query
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join("&");
  return query === "" ? path : `${path}?${query}`;
}

/** A shell word in single quotes, safe for any text. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function curlSample(method: string, request: ExampleRequest, settings: SampleSettings): string {
  const url = `${settings.baseUrl}${concretePath(request)}`;
  const lines = [
    `curl${method === "get" ? "" : ` -X ${method.toUpperCase()}`} ${shellQuote(url)}`,
    // Double quotes so that the shell expands the variable.
    `  -H "Authorization: Bearer $${API_KEY_VARIABLE}"`,
  ];
  if (request.idempotencyKey !== undefined) {
    lines.push(`  -H ${shellQuote(`Idempotency-Key: ${request.idempotencyKey}`)}`);
  }
  if (request.body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`);
    lines.push(`  -d ${shellQuote(JSON.stringify(request.body, null, 2))}`);
  }
  return lines.join(" \\\n");
}

function typescriptSample(
  method: string,
  request: ExampleRequest,
  settings: SampleSettings,
): string {
  const init: string[] = [];
  const params: string[] = [];
  if (request.pathParams.length > 0) {
    params.push(`path: ${literal(Object.fromEntries(request.pathParams), 4)}`);
  }
  if (request.query.length > 0) {
    params.push(`query: ${literal(Object.fromEntries(request.query), 4)}`);
  }
  if (params.length > 0) init.push(`params: {\n    ${params.join(",\n    ")},\n  }`);
  if (request.body !== undefined) init.push(`body: ${literal(request.body, 2)}`);
  if (request.idempotencyKey !== undefined) {
    init.push(`idempotencyKey: ${JSON.stringify(request.idempotencyKey)}`);
  }
  const args =
    init.length === 0
      ? JSON.stringify(request.path)
      : `${JSON.stringify(request.path)}, {\n  ${init.join(",\n  ")},\n}`;
  return `import { createClient } from ${JSON.stringify(settings.packageName)};

const wth = createClient({
  apiKey: process.env.${API_KEY_VARIABLE} ?? "",
  baseUrl: ${JSON.stringify(settings.baseUrl)},
});

const { data, error } = await wth.${method.toUpperCase()}(${args});
if (error) throw new Error(\`\${error.code}: \${error.message}\`);
console.log(data);
`;
}

/** A JSON value as a TypeScript literal (bare keys where possible), `indent` spaces in. */
function literal(value: JsonValue, indent: number): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => typeof v !== "object" || v === null)) {
      return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    }
    return `[\n${value.map((v) => `${pad}  ${literal(v, indent + 2)},`).join("\n")}\n${pad}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const lines = entries.map(([key, v]) => {
      const name = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
      return `${pad}  ${name}: ${literal(v, indent + 2)},`;
    });
    return `{\n${lines.join("\n")}\n${pad}}`;
  }
  return JSON.stringify(value);
}

function asObject(value: JsonValue | undefined): JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

function asArray(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}
