import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const VERSION = "2026-05-07";
const HOUSE_RULES = [
  "rule/response-headers",
  "rule/error-response-schema",
  "rule/error-codes",
  "rule/list-pagination",
  "rule/post-idempotency-key",
];

interface JsonFinding {
  tool: string;
  severity: string;
  rule: string;
  message: string;
  file: string;
  line?: number;
}

interface LintRun {
  code: number;
  stderr: string;
  findings: JsonFinding[];
}

/** Runs the real `wth lint` CLI in a child process and waits for it (and its linters) to exit. */
function runLint(args: string[]): Promise<LintRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, "scripts/wth.js"), "lint", ...args], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      let findings: JsonFinding[] = [];
      if (args.includes("json") && stdout.trim() !== "") {
        const parsed = JSON.parse(stdout) as {
          versions: { errors: JsonFinding[]; warnings: JsonFinding[]; notes: JsonFinding[] }[];
        };
        findings = parsed.versions.flatMap((v) => [...v.errors, ...v.warnings, ...v.notes]);
      }
      resolve({ code: code ?? 1, stderr: Buffer.concat(err).toString("utf8"), findings });
    });
  });
}

// biome-ignore lint/suspicious/noExplicitAny: test documents are free-form OpenAPI JSON that each case edits in place.
type Doc = Record<string, any>;

const headers = () => ({
  "X-API-Version": { $ref: "#/components/headers/XApiVersion" },
  "Request-Id": { $ref: "#/components/headers/RequestId" },
  RateLimit: { $ref: "#/components/headers/RateLimit" },
  "RateLimit-Policy": { $ref: "#/components/headers/RateLimitPolicy" },
});

/** A response carrying one error code, shaped as every house rule and OWASP rule wants. */
function errorResponse(code: string, extraHeaders: Doc = {}): Doc {
  return {
    description: `Failure: \`${code}\`.`,
    "x-error-codes": [code],
    headers: { ...headers(), ...extraHeaders },
    content: {
      "application/json": {
        schema: { $ref: "#/components/schemas/ErrorResponse" },
        examples: { [code]: { summary: code, value: { error: { code, message: "No." } } } },
      },
    },
  };
}

/** The OWASP ruleset wants 401, 429 and 500 documented on every operation. */
const commonErrors = () => ({
  "401": { $ref: "#/components/responses/Unauthorized" },
  "429": { $ref: "#/components/responses/TooManyRequests" },
  "500": { $ref: "#/components/responses/InternalError" },
});

/**
 * The smallest document that follows every rule: one list and one create operation. Each case
 * breaks exactly one thing in a copy of it.
 */
function cleanDocument(): Doc {
  return {
    openapi: "3.1.0",
    info: {
      title: "Lint fixture",
      version: VERSION,
      description: "A document that passes every rule.",
      contact: { name: "Fixture team", url: "https://wth.example/api", email: "api@wth.example" },
      license: { name: "Fixture terms", url: "https://wth.example/terms" },
    },
    servers: [{ url: "http://localhost:3000", "x-internal": false }],
    security: [{ bearerAuth: [] }],
    tags: [{ name: "Things", description: "Things." }],
    paths: {
      "/v1/things": {
        get: {
          operationId: "listThings",
          tags: ["Things"],
          summary: "List things",
          description: "Lists things, newest first.",
          parameters: [
            { $ref: "#/components/parameters/Limit" },
            { $ref: "#/components/parameters/StartingAfter" },
          ],
          responses: {
            "200": {
              description: "A page of things.",
              headers: headers(),
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/ThingList" } },
              },
            },
            "400": { $ref: "#/components/responses/BadRequest" },
            ...commonErrors(),
          },
        },
        post: {
          operationId: "createThing",
          tags: ["Things"],
          summary: "Create a thing",
          description: "Creates a thing.",
          parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  additionalProperties: false,
                  required: ["name"],
                  properties: { name: { type: "string" } },
                },
              },
            },
          },
          responses: {
            "201": {
              description: "The thing.",
              headers: headers(),
              content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
            },
            "400": { $ref: "#/components/responses/BadRequest" },
            ...commonErrors(),
          },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
      headers: {
        XApiVersion: {
          required: true,
          schema: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
        },
        RequestId: { required: true, schema: { type: "string", pattern: "^req_[0-9A-Za-z]+$" } },
        RetryAfter: {
          required: true,
          schema: { type: "integer", format: "int32", minimum: 0, maximum: 60 },
        },
        RateLimit: { schema: { type: "string", pattern: '^"integration";r=\\d+;t=\\d+$' } },
        RateLimitPolicy: { schema: { type: "string", pattern: '^"integration";q=\\d+;w=\\d+$' } },
      },
      parameters: {
        Limit: {
          name: "limit",
          in: "query",
          description: "Page size.",
          schema: { type: "integer", format: "int32", minimum: 1, maximum: 100 },
        },
        StartingAfter: {
          name: "starting_after",
          in: "query",
          description: "Cursor.",
          schema: { type: "string" },
        },
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          description: "Retry key.",
          schema: { type: "string" },
        },
      },
      responses: {
        Unauthorized: errorResponse("invalid_api_key"),
        TooManyRequests: errorResponse("rate_limited", {
          "Retry-After": { $ref: "#/components/headers/RetryAfter" },
        }),
        InternalError: errorResponse("internal_error"),
        BadRequest: {
          description: "Invalid request: `parameter_invalid`.",
          "x-error-codes": ["parameter_invalid"],
          headers: headers(),
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/ErrorResponse" },
              examples: {
                parameter_invalid: {
                  summary: "A bad parameter",
                  value: { error: { code: "parameter_invalid", message: "Bad limit." } },
                },
              },
            },
          },
        },
      },
      schemas: {
        Thing: {
          type: "object",
          required: ["id", "name"],
          properties: { id: { type: "string" }, name: { type: "string" } },
        },
        ThingList: {
          type: "object",
          required: ["object", "data", "has_more", "next_cursor"],
          properties: {
            object: { type: "string", const: "list" },
            data: { type: "array", maxItems: 100, items: { $ref: "#/components/schemas/Thing" } },
            has_more: { type: "boolean" },
            next_cursor: { type: ["string", "null"] },
          },
        },
        ErrorResponse: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: {
                  type: "string",
                  enum: ["parameter_invalid", "invalid_api_key", "rate_limited", "internal_error"],
                  "x-enum-descriptions": {
                    parameter_invalid: "400: a parameter is wrong.",
                    invalid_api_key: "401: the key is not valid.",
                    rate_limited: "429: too many requests.",
                    internal_error: "500: our fault.",
                  },
                },
                message: { type: "string" },
              },
            },
          },
        },
      },
    },
  };
}

interface BrokenCase {
  name: string;
  /** Breaks one thing in the clean document; returns the file text to write. */
  breakIt(doc: Doc): string;
  rule: string;
  tool: string;
  /** How the rule reports: rule/error-codes warns (and a warning fails `wth lint` too). */
  severity?: "error" | "warning";
}

const json = (doc: Doc) => `${JSON.stringify(doc, null, 2)}\n`;

const cases: BrokenCase[] = [
  {
    name: "a success response lacks the X-API-Version header",
    breakIt: (doc) => {
      delete doc.paths["/v1/things"].get.responses["200"].headers["X-API-Version"];
      return json(doc);
    },
    rule: "rule/response-headers",
    tool: "redocly",
  },
  {
    name: "an error response does not use the ErrorResponse schema",
    breakIt: (doc) => {
      doc.paths["/v1/things"].post.responses["400"] = {
        description: "Invalid request: `parameter_invalid`.",
        "x-error-codes": ["parameter_invalid"],
        headers: headers(),
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: { error: { type: "object" }, message: { type: "string" } },
            },
            examples: {
              parameter_invalid: {
                summary: "A bad parameter",
                value: { error: { code: "parameter_invalid" }, message: "Bad name." },
              },
            },
          },
        },
      };
      return json(doc);
    },
    rule: "rule/error-response-schema",
    tool: "redocly",
  },
  {
    name: "an error response lists a code that is not in the ErrorCode catalogue",
    breakIt: (doc) => {
      const badRequest = doc.components.responses.BadRequest;
      badRequest["x-error-codes"].push("teapot");
      badRequest.description += " Or `teapot`.";
      badRequest.content["application/json"].examples.teapot = {
        summary: "I'm a teapot",
        value: { error: { code: "teapot", message: "No coffee." } },
      };
      return json(doc);
    },
    rule: "rule/error-codes",
    tool: "redocly",
    severity: "warning",
  },
  {
    name: "an error response lists a code catalogued under another status",
    breakIt: (doc) => {
      const badRequest = doc.components.responses.BadRequest;
      badRequest["x-error-codes"].push("rate_limited");
      badRequest.description += " Or `rate_limited`.";
      badRequest.content["application/json"].examples.rate_limited = {
        summary: "Too many",
        value: { error: { code: "rate_limited", message: "Slow down." } },
      };
      return json(doc);
    },
    rule: "rule/error-codes",
    tool: "redocly",
    severity: "warning",
  },
  {
    name: "a list operation does not take starting_after",
    breakIt: (doc) => {
      doc.paths["/v1/things"].get.parameters = [{ $ref: "#/components/parameters/Limit" }];
      return json(doc);
    },
    rule: "rule/list-pagination",
    tool: "redocly",
  },
  {
    name: "a list operation returns an envelope without next_cursor",
    breakIt: (doc) => {
      const list = doc.components.schemas.ThingList;
      delete list.properties.next_cursor;
      list.required = ["object", "data", "has_more"];
      return json(doc);
    },
    rule: "rule/list-pagination",
    tool: "redocly",
  },
  {
    name: "a POST does not accept Idempotency-Key",
    breakIt: (doc) => {
      delete doc.paths["/v1/things"].post.parameters;
      return json(doc);
    },
    rule: "rule/post-idempotency-key",
    tool: "redocly",
  },
  {
    name: "a response integer has no format",
    breakIt: (doc) => {
      doc.components.schemas.Thing.properties.count = { type: "integer", minimum: 0, maximum: 10 };
      return json(doc);
    },
    rule: "owasp:api4:2023-integer-format",
    tool: "spectral",
  },
  {
    name: "a response integer has no upper bound",
    breakIt: (doc) => {
      doc.components.schemas.Thing.properties.count = {
        type: "integer",
        format: "int32",
        minimum: 0,
      };
      return json(doc);
    },
    rule: "owasp:api4:2023-integer-limit",
    tool: "spectral",
  },
  {
    name: "a list page's data array has no maxItems",
    breakIt: (doc) => {
      delete doc.components.schemas.ThingList.properties.data.maxItems;
      return json(doc);
    },
    rule: "owasp:api4:2023-array-limit",
    tool: "spectral",
  },
  {
    name: "a success response does not document the RateLimit headers",
    breakIt: (doc) => {
      delete doc.paths["/v1/things"].get.responses["200"].headers.RateLimit;
      return json(doc);
    },
    rule: "owasp:api4:2023-rate-limit",
    tool: "spectral",
  },
  {
    name: "info.version is an unquoted date",
    breakIt: (doc) => json(doc).replace(`"version": "${VERSION}"`, `"version": ${VERSION}`),
    rule: "version-quoted",
    tool: "wth",
  },
];

let tempDir: string;

/** A checkout with one dated document whose root file has the given text. */
async function checkoutWith(name: string, documentText: string): Promise<string> {
  const root = path.join(tempDir, name.replace(/[^a-z0-9]+/gi, "-"));
  await mkdir(path.join(root, "openapi", VERSION), { recursive: true });
  await writeFile(
    path.join(root, "openapi/versions.json"),
    JSON.stringify({ versions: [{ version: VERSION, status: "released", released_at: VERSION }] }),
  );
  await writeFile(path.join(root, "openapi", VERSION, "openapi.yaml"), documentText);
  return root;
}

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), "wth-lint-"));
});

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe("wth lint on the real document", () => {
  it("when every listed version is linted, then neither linter reports anything and it exits 0", async () => {
    const run = await runLint(["--format", "json"]);

    expect(run.findings).toEqual([]);
    expect(run.code).toBe(0);
  }, 180_000);

  it("when asked for a version that is not in versions.json, then it exits 2 and names it", async () => {
    const run = await runLint(["--version", "1999-01-01"]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("1999-01-01");
  }, 60_000);
});

describe("wth lint on broken documents", () => {
  it("when the fixture document is not broken, then nothing is reported and it exits 0", async () => {
    const root = await checkoutWith("clean", json(cleanDocument()));

    const run = await runLint(["--root", root, "--format", "json"]);

    expect(run.findings).toEqual([]);
    expect(run.code).toBe(0);
  }, 120_000);

  for (const testCase of cases) {
    it(`when ${testCase.name}, then ${testCase.rule} reports it and it exits 1`, async () => {
      const root = await checkoutWith(testCase.name, testCase.breakIt(cleanDocument()));

      const run = await runLint(["--root", root, "--format", "json"]);

      const reported = run.findings.filter((finding) => finding.rule === testCase.rule);
      expect(reported.length).toBeGreaterThan(0);
      for (const finding of reported) {
        expect(finding).toMatchObject({
          tool: testCase.tool,
          severity: testCase.severity ?? "error",
          file: `openapi/${VERSION}/openapi.yaml`,
        });
        expect(finding.line).toBeGreaterThan(0);
      }
      const otherHouseRules = run.findings.filter(
        (finding) => HOUSE_RULES.includes(finding.rule) && finding.rule !== testCase.rule,
      );
      expect(otherHouseRules).toEqual([]);
      expect(run.code).toBe(1);
    }, 120_000);
  }
});
