/**
 * The whole diff, through the CLI, on another API's published documents: two releases of
 * GitHub's REST API description from the npm registry (@octokit/openapi, OpenAPI 3.0, 12 MB),
 * the same document respelled as OpenAPI 3.1, and an edited copy of each with planted changes
 * whose verdicts are known.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../scripts/diff/types.ts";
import { removeTempDirs, runWth, tempDir } from "./helpers.ts";
import { octokitDocument, toOpenApi31 } from "./public-documents.ts";

type Json = Record<string, unknown>;
interface Report {
  breaking: number;
  nonBreaking: number;
  findings: Finding[];
}

const OLDER = "22.0.0";
const NEWER = "23.0.2";
const SLOW = 240_000;

let older: string;
let newer: string;
let dir: string;

beforeAll(() => {
  older = octokitDocument(OLDER);
  newer = octokitDocument(NEWER);
  dir = tempDir("wth-public-");
}, SLOW);
afterAll(removeTempDirs);

function read(file: string): Json {
  return JSON.parse(readFileSync(file, "utf8")) as Json;
}

function write(name: string, document: Json): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(document));
  return file;
}

async function diff(
  base: string,
  revision: string,
): Promise<{ code: number | null; report: Report }> {
  const run = await runWth(["diff", base, revision, "--format", "json"], undefined, SLOW);
  expect(run.stderr).toBe("");
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

function at(document: Json, ...keys: string[]): Json {
  let node: unknown = document;
  for (const key of keys) {
    node = (node as Json)[key];
    if (node === undefined) throw new Error(`the planted edit expects ${keys.join(" → ")}`);
  }
  return node as Json;
}

/** Plants edits with known verdicts into GitHub's document (in its own OpenAPI 3.0 spelling). */
function planted(document: Json): Json {
  const d = structuredClone(document);
  const paths = at(d, "paths");
  // Breaking: an operation removed.
  delete paths["/octocat"];
  // Breaking: a path moved with its operationId kept — a rename, with evidence.
  paths["/zen-of-github"] = paths["/zen"];
  delete paths["/zen"];
  // A path moved under a new operationId: a removal plus an addition, never a guessed rename.
  const emojis = at(paths, "/emojis", "get");
  emojis.operationId = "emojis/list";
  paths["/emoji-list"] = paths["/emojis"];
  delete paths["/emojis"];
  // Breaking: a request field made required, and a request field given a maximum length.
  const body = at(
    paths,
    "/user/repos",
    "post",
    "requestBody",
    "content",
    "application/json",
    "schema",
  );
  (body.required as string[]).push("description");
  at(body, "properties", "name").maxLength = 10;
  // Breaking in 3.0's boolean spelling of an exclusive bound: team_id must now be above 0.
  Object.assign(at(body, "properties", "team_id"), { minimum: 0, exclusiveMinimum: true });
  // Response fields: one renamed with x-renamed-from (a rename), one without evidence.
  const overview = at(d, "components", "schemas", "api-overview", "properties");
  overview.package_hosts = { ...at(overview, "packages"), "x-renamed-from": "packages" };
  delete overview.packages;
  overview.importer_hosts = overview.importer;
  delete overview.importer;
  // Not breaking: an optional query parameter, a new operation, a summary reworded.
  const meta = at(paths, "/meta", "get");
  meta.parameters = [{ name: "planted", in: "query", required: false, schema: { type: "string" } }];
  meta.summary = "Get GitHub meta information (reworded)";
  paths["/planted/ping"] = {
    get: { operationId: "planted/ping", responses: { "204": { description: "Pong" } } },
  };
  return d;
}

function rulesAt(report: Report, operation: string): string[] {
  return report.findings
    .filter((f) => f.location.operation === operation)
    .map((f) => f.rule)
    .sort();
}

function expectPlanted(report: Report): void {
  const byRule = (rule: string) => report.findings.filter((f) => f.rule === rule);
  expect(rulesAt(report, "GET /octocat")).toEqual(["operation-removed"]);
  expect(byRule("operation-renamed").map((f) => f.message)).toEqual([
    expect.stringContaining("GET /zen was renamed to GET /zen-of-github"),
  ]);
  expect(rulesAt(report, "GET /emojis")).toEqual(["operation-removed"]);
  expect(rulesAt(report, "GET /emoji-list")).toEqual(["operation-added"]);
  expect(rulesAt(report, "POST /user/repos")).toEqual([
    "request-max-decreased",
    "request-min-increased",
    "request-property-made-required",
  ]);
  expect(rulesAt(report, "GET /meta")).toEqual([
    "documentation-changed",
    "optional-parameter-added",
    "response-property-added",
    "response-property-removed",
    "response-property-renamed",
  ]);
  const renamed = byRule("response-property-renamed")[0] as Finding;
  expect(renamed.message).toContain("package_hosts");
  const removed = byRule("response-property-removed")[0] as Finding;
  expect(removed.location.pointer).toMatch(/\/properties\/importer$/);
  expect(rulesAt(report, "GET /planted/ping")).toEqual(["operation-added"]);
  for (const f of report.findings) {
    expect(f.breaking, `${f.rule} at ${f.location.pointer}`).toBe(
      [
        "operation-removed",
        "operation-renamed",
        "request-max-decreased",
        "request-min-increased",
        "request-property-made-required",
        "response-property-removed",
        "response-property-renamed",
      ].includes(f.rule),
    );
  }
  expect(report.breaking).toBe(8);
  expect(report.nonBreaking).toBe(5);
  expect(report.findings).toHaveLength(13);
}

describe("wth diff on GitHub's published OpenAPI documents (npm: @octokit/openapi)", () => {
  it(
    `when ${OLDER} is compared with ${NEWER}, then it finishes with sensible counts and every rename has evidence`,
    async () => {
      const { code, report } = await diff(older, newer);
      expect(code).toBe(1);
      // A major release of a 1,000-operation API: hundreds of changes, a minority breaking.
      expect(report.breaking).toBeGreaterThan(50);
      expect(report.breaking).toBeLessThan(report.nonBreaking);
      expect(report.findings.length).toBeLessThan(10_000);
      const base = read(older);
      const revision = read(newer);
      const operationIds = (document: Json) => {
        const ids = new Map<string, string>();
        for (const [p, item] of Object.entries(at(document, "paths")))
          for (const [method, op] of Object.entries(item as Json))
            if (typeof (op as Json).operationId === "string")
              ids.set(`${method.toUpperCase()} ${p}`, (op as Json).operationId as string);
        return ids;
      };
      const before = operationIds(base);
      const after = operationIds(revision);
      for (const f of report.findings) {
        // Every finding points into the operation it names, in the side it was found in.
        if (f.location.operation !== undefined) {
          const [, p] = f.location.operation.split(" ") as [string, string];
          expect(
            Object.hasOwn(at(base, "paths"), p) || Object.hasOwn(at(revision, "paths"), p),
          ).toBe(true);
        }
        if (f.rule === "operation-renamed") {
          // Renames only with evidence: here, the same operationId on both sides.
          const [from, to] = [f.before, f.after] as [string, string];
          expect(before.get(from), f.message).toBeDefined();
          expect(before.get(from)).toBe(after.get(to));
        }
      }
      expect(report.findings.filter((f) => f.rule.endsWith("-renamed")).length).toBeLessThan(10);
    },
    SLOW,
  );

  it(
    `when ${NEWER} is respelled as OpenAPI 3.1 (nullable as a null type or alternative), then nothing differs`,
    async () => {
      const openapi30 = newer;
      const openapi31 = write("github-3.1.json", toOpenApi31(read(newer)));
      const { code, report } = await diff(openapi30, openapi31);
      expect(report.findings).toEqual([]);
      expect(code).toBe(0);
    },
    SLOW,
  );

  it(
    "when planted edits are made to the 3.0 document, then each is found with its verdict and nothing else",
    async () => {
      const base = read(newer);
      const { code, report } = await diff(newer, write("github-edited.json", planted(base)));
      expect(code).toBe(1);
      expectPlanted(report);
    },
    SLOW,
  );

  it(
    "when the same edits are made to the 3.1 respelling, then the same findings come out",
    async () => {
      const base = read(newer);
      const { code, report } = await diff(
        write("github-3.1-base.json", toOpenApi31(base)),
        write("github-3.1-edited.json", toOpenApi31(planted(base))),
      );
      expect(code).toBe(1);
      expectPlanted(report);
    },
    SLOW,
  );
});
