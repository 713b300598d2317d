/**
 * What `wth diff` accepts as input, loaded by Redocly's resolver and bundler: multi-file documents
 * mixing YAML and JSON across nested folders, OpenAPI 3.0 beside 3.1, `git:<rev>:<path>` operands
 * whose relative refs resolve within that revision, and documents that cannot be read, each of
 * which must end the CLI with one line and exit code 2.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleDocument } from "../../scripts/diff/bundle.ts";
import { diffDocuments } from "../../scripts/diff/compare-document.ts";
import { diffSources } from "../../scripts/diff/diff.ts";
import { fsReader, loadDocument, parseSource } from "../../scripts/diff/load.ts";
import { removeTempDirs, repoRoot, runWth, tempDir, writeTree } from "./helpers.ts";

afterAll(removeTempDirs);

/** One API split over YAML and JSON files in nested folders, each kind of $ref used once. */
const split: Record<string, string> = {
  "openapi.yaml": `openapi: 3.1.0
info: {title: watches, version: "1"}
paths:
  /v1/watches:
    $ref: paths/watches/collection.json
  /v1/watches/{watch_id}:
    $ref: "paths/watches/item.yaml#/item"
`,
  "paths/watches/collection.json": JSON.stringify({
    post: {
      operationId: "createWatch",
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: { $ref: "../../components/schemas/requests/CreateWatch.yaml" },
          },
        },
      },
      responses: {
        "201": {
          description: "created",
          content: {
            "application/json": { schema: { $ref: "../../components/schemas/Watch.json" } },
          },
        },
      },
    },
  }),
  "paths/watches/item.yaml": `item:
  get:
    operationId: retrieveWatch
    parameters:
      - $ref: "../../components/parameters.json#/WatchId"
    responses:
      "200":
        description: ok
        content:
          application/json:
            schema:
              $ref: ../../components/schemas/Watch.json
`,
  "components/parameters.json": JSON.stringify({
    WatchId: { name: "watch_id", in: "path", required: true, schema: { type: "string" } },
  }),
  "components/schemas/Watch.json": JSON.stringify({
    type: "object",
    required: ["id", "brand", "price"],
    properties: {
      id: { type: "string" },
      brand: { $ref: "common/Brand.yaml" },
      price: { $ref: "../money.yaml#/Money" },
    },
  }),
  "components/schemas/requests/CreateWatch.yaml": `type: object
required: [brand, price]
properties:
  brand:
    $ref: ../common/Brand.yaml
  price:
    $ref: "../../money.yaml#/Money"
`,
  "components/schemas/common/Brand.yaml": `type: string
maxLength: 50
`,
  "components/money.yaml": `Money:
  type: integer
  minimum: 0
  x-meaning: amount-in-minor-units-of-currency
`,
};

/** The same API in one file. */
const single = `openapi: 3.1.0
info: {title: watches, version: "1"}
paths:
  /v1/watches:
    post:
      operationId: createWatch
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [brand, price]
              properties:
                brand: {$ref: "#/components/schemas/Brand"}
                price: {$ref: "#/components/schemas/Money"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Watch"}
  /v1/watches/{watch_id}:
    get:
      operationId: retrieveWatch
      parameters:
        - {name: watch_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Watch"}
components:
  schemas:
    Watch:
      type: object
      required: [id, brand, price]
      properties:
        id: {type: string}
        brand: {$ref: "#/components/schemas/Brand"}
        price: {$ref: "#/components/schemas/Money"}
    Brand: {type: string, maxLength: 50}
    Money: {type: integer, minimum: 0, x-meaning: amount-in-minor-units-of-currency}
`;

function under(folder: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [`${folder}/${k}`, v]));
}

function edited(file: string, from: string, to: string): Record<string, string> {
  const text = split[file];
  if (text === undefined || !text.includes(from)) throw new Error(`no "${from}" in ${file}`);
  return { ...split, [file]: text.replace(from, to) };
}

describe("multi-file documents", () => {
  it("when an API is split over YAML and JSON files in nested folders, then it loads as its one-file equivalent and every file is recorded", async () => {
    const dir = tempDir();
    writeTree(dir, { ...under("split", split), "single.yaml": single });
    const result = await diffSources(
      path.join(dir, "single.yaml"),
      path.join(dir, "split/openapi.yaml"),
    );
    expect(result.findings).toEqual([]);
    const loaded = await loadDocument(parseSource(path.join(dir, "split/openapi.yaml")));
    expect([...loaded.files.keys()].sort()).toEqual(Object.keys(split).sort());
    expect(loaded.files.get("paths/watches/collection.json")).toBe(
      split["paths/watches/collection.json"],
    );
  });

  it("when a file two folders down, reached from both YAML and JSON, tightens, then the finding names the operation, its pointer and the file's component", async () => {
    const dir = tempDir();
    writeTree(dir, {
      ...under("a", split),
      ...under(
        "b",
        edited("components/schemas/common/Brand.yaml", "maxLength: 50", "maxLength: 40"),
      ),
    });
    const result = await diffSources(
      path.join(dir, "a/openapi.yaml"),
      path.join(dir, "b/openapi.yaml"),
    );
    const breaking = result.findings.filter((f) => f.breaking);
    expect(
      breaking.map((f) => [f.rule, f.location.operation, f.location.component, f.location.pointer]),
    ).toEqual([
      [
        "request-max-decreased",
        "POST /v1/watches",
        "Brand",
        "/paths/~1v1~1watches/post/requestBody/content/application~1json/schema/properties/brand/maxLength",
      ],
    ]);
  });

  it("when a property goes from a JSON schema file, then the response finding is reported for every operation using it", async () => {
    const dir = tempDir();
    const watch = JSON.parse(split["components/schemas/Watch.json"] ?? "{}") as {
      required: string[];
      properties: Record<string, unknown>;
    };
    watch.required = watch.required.filter((p) => p !== "id");
    delete watch.properties.id;
    writeTree(dir, {
      ...under("a", split),
      ...under("b", { ...split, "components/schemas/Watch.json": JSON.stringify(watch) }),
    });
    const result = await diffSources(
      path.join(dir, "a/openapi.yaml"),
      path.join(dir, "b/openapi.yaml"),
    );
    expect(
      result.findings
        .filter((f) => f.breaking)
        .map((f) => [f.location.operation, f.location.component])
        .sort(),
    ).toEqual([
      ["GET /v1/watches/{watch_id}", "Watch"],
      ["POST /v1/watches", "Watch"],
    ]);
  });

  it("when a document needs no bundling, then skipping Redocly's bundler loads exactly what the bundler would", async () => {
    // The released document, bundled into one self-contained JSON file.
    const entry = path.join(repoRoot, "openapi/2026-05-07/openapi.yaml");
    const bundled = await bundleDocument(fsReader(), entry);
    expect(bundled.bundled).toBe(true);
    const dir = tempDir();
    const file = path.join(dir, "bundled.json");
    writeFileSync(file, JSON.stringify(bundled.root));
    const source = { label: "bundled", reader: fsReader(), entry: file };
    const skipped = await loadDocument(source);
    const walked = await loadDocument(source, { alwaysBundle: true });
    expect(skipped.root).toEqual(walked.root);
    const original = await loadDocument({ label: "2026-05-07", reader: fsReader(), entry });
    expect(diffDocuments(original, skipped)).toEqual([]);
  });
});

describe("OpenAPI 3.0 beside 3.1", () => {
  /** A request and a response with every 3.0 spelling that 3.1 writes otherwise. */
  const v30 = {
    "openapi.yaml": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v1/offers:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: schemas.yaml#/Offer}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: schemas.yaml#/Offer}
`,
    "schemas.yaml": `Offer:
  type: object
  required: [amount, note]
  properties:
    amount:
      type: integer
      minimum: 0
      exclusiveMinimum: true
      maximum: 1000000
      exclusiveMaximum: true
    discount:
      type: number
      minimum: 0
      exclusiveMinimum: true
      nullable: true
    note:
      type: string
      nullable: true
    seller:
      nullable: true
      allOf:
        - $ref: "#/Seller"
Seller:
  type: object
  properties:
    name: {type: string}
`,
  };
  const v31 = {
    "openapi.yaml": v30["openapi.yaml"].replace("openapi: 3.0.3", "openapi: 3.1.0"),
    "schemas.yaml": `Offer:
  type: object
  required: [amount, note]
  properties:
    amount:
      type: integer
      exclusiveMinimum: 0
      exclusiveMaximum: 1000000
    discount:
      type: [number, "null"]
      exclusiveMinimum: 0
    note:
      type: [string, "null"]
    seller:
      oneOf:
        - $ref: "#/Seller"
        - type: "null"
Seller:
  type: object
  properties:
    name: {type: string}
`,
  };

  it("when a 3.0 document with nullable and boolean exclusive bounds is compared with its 3.1 spelling, then nothing breaks either way", async () => {
    const dir = tempDir();
    writeTree(dir, { ...under("v30", v30), ...under("v31", v31) });
    const forward = await diffSources(
      path.join(dir, "v30/openapi.yaml"),
      path.join(dir, "v31/openapi.yaml"),
    );
    const back = await diffSources(
      path.join(dir, "v31/openapi.yaml"),
      path.join(dir, "v30/openapi.yaml"),
    );
    expect(forward.findings.filter((f) => f.breaking)).toEqual([]);
    expect(back.findings.filter((f) => f.breaking)).toEqual([]);
  });

  it("when the 3.1 spelling drops an exclusive bound to an inclusive one, then the response that may now say 0 is breaking and the request is not", async () => {
    const dir = tempDir();
    const inclusive = {
      ...v31,
      "schemas.yaml": v31["schemas.yaml"].replace(
        "      type: integer\n      exclusiveMinimum: 0",
        "      type: integer\n      minimum: 0",
      ),
    };
    writeTree(dir, { ...under("v30", v30), ...under("v31", inclusive) });
    const result = await diffSources(
      path.join(dir, "v30/openapi.yaml"),
      path.join(dir, "v31/openapi.yaml"),
    );
    const amount = result.findings.filter((f) => f.location.pointer.includes("/properties/amount"));
    expect(amount.map((f) => [f.direction, f.breaking]).sort()).toEqual([
      ["input", false],
      ["output", true],
    ]);
  });
});

describe("git:<rev>:<path> operands", () => {
  function repo(): { dir: string; git: (...args: string[]) => void } {
    const dir = tempDir("wth-git-");
    const git = (...args: string[]) => {
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
        cwd: dir,
        stdio: "pipe",
      });
    };
    git("init", "-q");
    return { dir, git };
  }

  it("when both sides are revisions of a split document no longer on disk, then each side's relative refs resolve within its own revision", async () => {
    const { dir, git } = repo();
    writeTree(dir, under("api", split));
    git("add", ".");
    git("commit", "-qm", "v1");
    writeTree(
      dir,
      under(
        "api",
        edited("components/schemas/common/Brand.yaml", "maxLength: 50", "maxLength: 40"),
      ),
    );
    git("commit", "-qam", "v2: shorter brands");
    rmSync(path.join(dir, "api"), { recursive: true });
    const run = await runWth(
      ["diff", "git:HEAD~1:api/openapi.yaml", "git:HEAD:api/openapi.yaml", "--format", "json"],
      dir,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      findings: {
        rule: string;
        breaking: boolean;
        location: { operation?: string; component?: string };
      }[];
    };
    expect(
      report.findings.map((f) => [f.rule, f.breaking, f.location.operation, f.location.component]),
    ).toEqual([
      ["request-max-decreased", true, "POST /v1/watches", "Brand"],
      ["response-constraint-changed", false, "GET /v1/watches/{watch_id}", "Brand"],
      ["response-constraint-changed", false, "POST /v1/watches", "Brand"],
    ]);
  });

  it("when a revision is compared with the working tree that restructured its files, then the revision's files come from git and nothing changed", async () => {
    const { dir, git } = repo();
    writeTree(dir, under("api", split));
    git("add", ".");
    git("commit", "-qm", "v1");
    rmSync(path.join(dir, "api"), { recursive: true });
    writeTree(dir, { "api/openapi.yaml": single });
    const run = await runWth(["diff", "git:HEAD:api/openapi.yaml", "api/openapi.yaml"], dir);
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toContain("0 breaking, 0 not breaking");
  });

  it("when the revision does not exist, then the CLI says so in one line and exits 2", async () => {
    const { dir, git } = repo();
    writeTree(dir, under("api", split));
    git("add", ".");
    git("commit", "-qm", "v1");
    const run = await runWth(
      ["diff", "git:no-such-branch:api/openapi.yaml", "api/openapi.yaml"],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `wth diff: cannot read git:no-such-branch: not a git revision in ${dir}\n`,
    );
  });

  it("when a revision's $ref names a file that revision lacks, then the CLI names the git file and the pointer", async () => {
    const { dir, git } = repo();
    const { "components/money.yaml": _, ...withoutMoney } = split;
    writeTree(dir, under("api", withoutMoney));
    git("add", ".");
    git("commit", "-qm", "v1");
    writeTree(dir, { "api/components/money.yaml": split["components/money.yaml"] ?? "" });
    const run = await runWth(["diff", "git:HEAD:api/openapi.yaml", "api/openapi.yaml"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^wth diff: cannot read git:HEAD:api\/components\/schemas\/(Watch\.json|requests\/CreateWatch\.yaml):\d+: \$ref "\.\.\/(\.\.\/)?money\.yaml#\/Money" points to a missing file git:HEAD:api\/components\/money\.yaml \(the \$ref at #\/(properties\/price)\)$/,
      ),
    ]);
  });
});

describe("a document that cannot be read", () => {
  const entry = (schemaRef: string) => `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "${schemaRef}"
`;
  const pointer = "#/paths/~1x/get/responses/200/content/application~1json/schema";
  const cases: { when: string; files: Record<string, string>; line: RegExp }[] = [
    {
      when: "its YAML is malformed",
      files: { "doc.yaml": "openapi: 3.1.0\ninfo:\n  title: [t\npaths: {}\n" },
      line: /^doc\.yaml:\d+: invalid YAML: /,
    },
    {
      when: "a file its $ref reaches is malformed YAML",
      files: { "doc.yaml": entry("./s/x.yaml#/Thing"), "s/x.yaml": "Thing:\n  type: [object\n" },
      line: new RegExp(
        `^s/x\\.yaml:\\d+: invalid YAML: .*; reached from doc\\.yaml \\(the \\$ref at ${esc(pointer)}\\)$`,
      ),
    },
    {
      when: "a JSON file its $ref reaches is not JSON",
      files: { "doc.yaml": entry("s/x.json#/Thing"), "s/x.json": '{"Thing": {"type": "object",}}' },
      line: new RegExp(
        `^s/x\\.json:1: invalid JSON: .*; reached from doc\\.yaml \\(the \\$ref at ${esc(pointer)}\\)$`,
      ),
    },
    {
      when: "its $ref names a missing file",
      files: { "doc.yaml": entry("s/gone.yaml") },
      line: new RegExp(
        `^doc\\.yaml:12: \\$ref "s/gone\\.yaml" points to a missing file s/gone\\.yaml \\(the \\$ref at ${esc(pointer)}\\)$`,
      ),
    },
    {
      when: "its $ref's pointer reaches nothing in another file",
      files: { "doc.yaml": entry("s/x.yaml#/Thing"), "s/x.yaml": "Other: {type: object}\n" },
      line: new RegExp(
        `^doc\\.yaml:12: \\$ref "s/x\\.yaml#/Thing" does not resolve: no "Thing" in s/x\\.yaml \\(the \\$ref at ${esc(pointer)}\\)$`,
      ),
    },
    {
      when: "its $ref's pointer reaches nothing in the same file",
      files: { "doc.yaml": entry("#/components/schemas/Thing") },
      line: new RegExp(
        `^doc\\.yaml:12: \\$ref "#/components/schemas/Thing" does not resolve: no "components" in doc\\.yaml \\(the \\$ref at ${esc(pointer)}\\)$`,
      ),
    },
    {
      when: "its $ref is remote",
      files: { "doc.yaml": entry("https://example.com/x.yaml#/Thing") },
      line: new RegExp(`^doc\\.yaml:12: remote \\$ref .* \\(the \\$ref at ${esc(pointer)}\\)$`),
    },
    {
      when: "it is not OpenAPI",
      files: { "doc.yaml": "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\n" },
      line: /^doc\.yaml:1: not an OpenAPI document \(#\/openapi is missing\)$/,
    },
    {
      when: "it is Swagger 2.0",
      files: { "doc.yaml": "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n" },
      line: /^doc\.yaml:1: not an OpenAPI document \(#\/openapi is missing\)$/,
    },
    {
      when: "it declares an OpenAPI version other than 3.0 or 3.1",
      files: { "doc.yaml": "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n" },
      line: /^doc\.yaml:1: not an OpenAPI 3\.0 or 3\.1 document \(#\/openapi is "4\.0\.0"\)$/,
    },
  ];

  it.each(cases)(
    "when $when, then the CLI prints one line naming the file and exits 2",
    async ({ files, line }) => {
      const dir = tempDir();
      writeTree(dir, {
        ...files,
        "good.yaml": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
      });
      const run = await runWth(["diff", "good.yaml", "doc.yaml"], dir);
      expect(run.code).toBe(2);
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      const prefix = "wth diff: cannot read ";
      expect(lines[0]?.startsWith(prefix)).toBe(true);
      // Paths are printed absolute; the pattern names them relative to the temp folder.
      expect(lines[0]?.slice(prefix.length).replaceAll(`${dir}/`, "")).toMatch(line);
      expect(run.stdout).toBe("");
    },
  );
});

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\~]/g, "\\$&");
}
