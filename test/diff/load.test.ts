import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffDocuments } from "../../scripts/diff/compare-document.ts";
import { diffSources } from "../../scripts/diff/diff.ts";
import { DocumentReadError, loadDocument, parseSource } from "../../scripts/diff/load.ts";
import { removeTempDirs, runWth, tempDir, writeTree } from "./helpers.ts";

afterAll(removeTempDirs);

const single = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /v1/things/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id, price]
                properties:
                  id: {type: string}
                  price: {type: integer, x-meaning: amount-in-minor-units-of-currency}
                  owner:
                    type: object
                    properties:
                      name: {type: string, maxLength: 100}
`;

const split: Record<string, string> = {
  "openapi.yaml": `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /v1/things/{thing_id}:
    $ref: paths/things.yaml#/thing
`,
  "paths/things.yaml": `thing:
  get:
    parameters:
      - $ref: ../components/parameters.yaml#/ThingId
    responses:
      "200":
        description: ok
        content:
          application/json:
            schema:
              $ref: ../components/schemas/Thing.yaml
`,
  "components/parameters.yaml": `ThingId: {name: thing_id, in: path, required: true, schema: {type: string}}
`,
  "components/schemas/Thing.yaml": `type: object
required: [price, id]
properties:
  price:
    $ref: "#/$defs/Money"
  id: {type: string}
  owner:
    $ref: Owner.yaml
$defs:
  Money: {type: integer, x-meaning: amount-in-minor-units-of-currency}
`,
  "components/schemas/Owner.yaml": `type: object
properties:
  name: {type: string, maxLength: 100, description: Who owns it.}
`,
};

describe("reading documents", () => {
  it.each([
    ["2026-05-07", "", /openapi\/2026-05-07\/openapi\.yaml$/],
    ["git:HEAD~1:2026-05-07", "git:HEAD~1:", /^openapi\/2026-05-07\/openapi\.yaml$/],
    ["git:release/1:api/root.yaml", "git:release/1:", /^api\/root\.yaml$/],
    ["docs/../api.yaml", "", /\/api\.yaml$/],
  ])("when an operand is %s, then it names the right entry file", (operand, prefix, entry) => {
    const source = parseSource(operand, "/somewhere");
    expect(source.reader.prefix).toBe(prefix);
    expect(source.entry).toMatch(entry);
  });

  it("when one file is split into several with relative $refs, then nothing changed", async () => {
    const dir = tempDir();
    writeTree(dir, {
      "single.yaml": single,
      ...Object.fromEntries(Object.entries(split).map(([k, v]) => [`split/${k}`, v])),
    });
    const result = await diffSources(
      path.join(dir, "single.yaml"),
      path.join(dir, "split/openapi.yaml"),
    );
    expect(result.findings.filter((f) => f.rule !== "documentation-changed")).toEqual([]);
  });

  it("when a field changes in a nested split file, then the finding names that file's component", async () => {
    const dir = tempDir();
    const after = {
      ...split,
      "components/schemas/Owner.yaml":
        split["components/schemas/Owner.yaml"]?.replace(
          "name: {type: string",
          "full_name: {x-renamed-from: name, type: string",
        ) ?? "",
    };
    writeTree(dir, Object.fromEntries(Object.entries(split).map(([k, v]) => [`a/${k}`, v])));
    writeTree(dir, Object.fromEntries(Object.entries(after).map(([k, v]) => [`b/${k}`, v])));
    const result = await diffSources(
      path.join(dir, "a/openapi.yaml"),
      path.join(dir, "b/openapi.yaml"),
    );
    expect(result.findings).toMatchObject([
      {
        rule: "response-property-renamed",
        breaking: true,
        location: {
          operation: "GET /v1/things/{thing_id}",
          component: "Owner",
          pointer:
            "/paths/~1v1~1things~1{thing_id}/get/responses/200/content/application~1json/schema/properties/owner/properties/name",
        },
        before: "name",
        after: "full_name",
      },
    ]);
  });

  it("when a schema refers to itself, then loading ends and a deep change is still found", async () => {
    const doc = (max: number) => `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /v1/tree:
    post:
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}
      responses: {"200": {description: ok}}
components:
  schemas:
    Node:
      type: object
      properties:
        label: {type: string, maxLength: ${max}}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
`;
    const dir = tempDir();
    writeTree(dir, { "a.yaml": doc(50), "b.yaml": doc(40) });
    const result = await diffSources(path.join(dir, "a.yaml"), path.join(dir, "b.yaml"));
    expect(result.findings.map((f) => [f.rule, f.location.component])).toEqual([
      ["request-max-decreased", "Node"],
    ]);
  });

  it("when a side is git:<ref>:<path>, then the files are read from that commit, split refs included", async () => {
    const dir = tempDir();
    writeTree(dir, Object.fromEntries(Object.entries(split).map(([k, v]) => [`api/${k}`, v])));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
        cwd: dir,
        stdio: "pipe",
      });
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "v1");
    writeTree(dir, {
      "api/components/schemas/Owner.yaml":
        "type: object\nproperties:\n  name: {type: string, maxLength: 50}\n",
    });
    const before = await loadDocument(parseSource("git:HEAD:api/openapi.yaml", dir));
    const after = await loadDocument(parseSource("api/openapi.yaml", dir));
    expect(before.files.size).toBe(5);
    expect(
      diffDocuments(before, after)
        .map((f) => f.rule)
        .sort(),
    ).toEqual(["documentation-changed", "response-constraint-changed"]);
  });

  it("when the YAML is malformed, then the error names the file and the line", async () => {
    const dir = tempDir();
    writeTree(dir, {
      "bad.yaml": "openapi: 3.1.0\ninfo:\n  title: t\n  version: [unclosed\npaths: {}\n",
    });
    const error = await loadDocument(parseSource(path.join(dir, "bad.yaml"))).catch((e) => e);
    expect(error).toBeInstanceOf(DocumentReadError);
    expect((error as DocumentReadError).file).toBe(path.join(dir, "bad.yaml"));
    expect((error as DocumentReadError).line).toBeGreaterThanOrEqual(4);
  });

  it("when a $ref dangles, then the error names the referring file, its line and the ref", async () => {
    const dir = tempDir();
    writeTree(dir, {
      "a.yaml": split["openapi.yaml"] ?? "",
      "paths/things.yaml":
        "thing:\n  get:\n    responses:\n      '200':\n        $ref: ../missing.yaml#/Ok\n",
    });
    await expect(loadDocument(parseSource(path.join(dir, "a.yaml")))).rejects.toThrow(
      /paths\/things\.yaml:5: \$ref "\.\.\/missing\.yaml#\/Ok" points to a missing file/,
    );
  });

  it("when a $ref pointer does not resolve, then the error says which part is missing", async () => {
    const dir = tempDir();
    writeTree(dir, {
      "a.yaml":
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    $ref: '#/components/pathItems/X'\n",
    });
    await expect(loadDocument(parseSource(path.join(dir, "a.yaml")))).rejects.toThrow(
      /a\.yaml:5: \$ref "#\/components\/pathItems\/X" does not resolve: no "components"/,
    );
  });

  it("when the CLI cannot read a side, then it exits 2 and prints the file and line", async () => {
    const dir = tempDir();
    writeTree(dir, {
      "good.yaml": single,
      "bad.yaml": "openapi: 3.1.0\npaths:\n  - : : :\n  x: [\n",
    });
    const run = await runWth(["diff", path.join(dir, "good.yaml"), path.join(dir, "bad.yaml")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `cannot read ${path.join(dir, "bad.yaml").replace(/[.]/g, "\\.")}:\\d+: invalid YAML`,
      ),
    );
    const missing = await runWth([
      "diff",
      path.join(dir, "good.yaml"),
      path.join(dir, "nope.yaml"),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.yaml: no such file");
  });

  it("when a $ref or the file it reaches is broken, then the CLI prints one line naming the file, its line and the $ref's pointer", async () => {
    const dir = tempDir();
    const entry =
      "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: './c/x.yaml#/Thing'\n";
    writeTree(dir, {
      "good.yaml": single,
      "a.yaml": entry,
      "c/x.yaml": "Other:\n  type: object\n",
    });
    const dangling = await runWth(["diff", path.join(dir, "good.yaml"), path.join(dir, "a.yaml")]);
    expect(dangling.code).toBe(2);
    const pointer = "#/paths/~1x/get/responses/200/content/application~1json/schema";
    expect(dangling.stderr.trimEnd().split("\n")).toEqual([
      `wth diff: cannot read ${path.join(dir, "a.yaml")}:12: $ref "./c/x.yaml#/Thing" does not resolve: no "Thing" in ${path.join(dir, "c/x.yaml")} (the $ref at ${pointer})`,
    ]);
    writeTree(dir, { "c/x.yaml": "Thing:\n  type: [object\n" });
    const unparsable = await runWth([
      "diff",
      path.join(dir, "good.yaml"),
      path.join(dir, "a.yaml"),
    ]);
    expect(unparsable.code).toBe(2);
    const lines = unparsable.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^wth diff: cannot read ${path.join(dir, "c/x.yaml")}:\\d+: invalid YAML: .*; reached from ${path.join(dir, "a.yaml")} \\(the \\$ref at ${pointer.replace(/[.~]/g, "\\$&")}\\)$`,
      ),
    );
  });
});
