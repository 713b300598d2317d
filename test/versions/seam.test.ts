/**
 * The seam inside a running server, without regenerating documents: a repository copy gains a
 * version 2026-09-01 whose document is 2026-05-07's (so both validate alike) and whose one
 * version change alters error bodies. The server must render errors per pin, and must refuse to
 * start, naming the culprit, when the chain is broken.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintVersion } from "../../scripts/versions/mint.ts";
import { readRegistry, writeRegistry } from "../../scripts/versions/registry-file.ts";
import { copyRepository, type Served, serveIn, wthIn } from "./repo-copy.ts";

const OLD = "2026-05-07";
const NEW = "2026-09-01";

const errorChange = (response: string) => `import { defineVersionChange } from "../../change.ts";

export const changes = [
  defineVersionChange({
    id: "error-message-prefixed",
    description: "Error messages of 2026-05-07 start with the code.",
    migration: "Nothing: only wording changed.",
    answers: ["documentation-changed:ApiError"],
    error: { "*": (body) => ({ error: { ...body.error, message: \`\${String(body.error.code)}: \${String(body.error.message)}\` } }) },
    response: { ${response}: (o) => o },
  }),
];
`;

let root = "";
let dataDir = "";
let served: Served | undefined;

beforeAll(() => {
  root = copyRepository("wth-seam-");
  dataDir = fs.mkdtempSync(path.join(root, "..", "wth-seam-data-"));
  mintVersion(root, NEW);
  writeRegistry(
    root,
    readRegistry(root).map((r) =>
      r.version === NEW ? { ...r, status: "released", released_at: NEW } : r,
    ),
  );
  const bundled = JSON.parse(
    fs.readFileSync(path.join(root, "generated", OLD, "openapi.json"), "utf8"),
  );
  fs.mkdirSync(path.join(root, "generated", NEW), { recursive: true });
  fs.writeFileSync(
    path.join(root, "generated", NEW, "openapi.json"),
    JSON.stringify({ ...bundled, info: { ...bundled.info, version: NEW } }),
  );
}, 60_000);

afterAll(async () => {
  await served?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
});

const changesFile = () => path.join(root, "server", "versions", "changes", NEW, "index.ts");
const env = () => ({ DATA_DIR: dataDir });

describe("the version seam in a running server", () => {
  it("when a version change names a schema that does not exist, then the server refuses to start and names the change and the schema", async () => {
    fs.writeFileSync(changesFile(), errorChange("Ordr"));
    await expect(serveIn(root, env())).rejects.toThrow(
      /version change "error-message-prefixed" \(2026-09-01\): its response converter names schema "Ordr", which 2026-09-01 does not have/,
    );
  }, 60_000);

  it("when an error is rendered, then the old pin gets its version's error body and the new pin the newest, each with its X-API-Version", async () => {
    fs.writeFileSync(changesFile(), errorChange("Order"));
    const make = async (name: string) => {
      const r = await wthIn(root, ["integrations", "create", "--name", name, "--json"], env());
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { id: string; api_key: string; api_version: string };
    };
    // New integrations pin to the newest released version, so the old pin is made while
    // 2026-09-01 is (briefly) unreleased again.
    const fresh = await make("fresh");
    expect(fresh.api_version).toBe(NEW);
    writeRegistry(
      root,
      readRegistry(root).map((r) =>
        r.version === NEW ? { ...r, status: "unreleased", released_at: null } : r,
      ),
    );
    const pinnedOld = await make("pinned-old");
    expect(pinnedOld.api_version).toBe(OLD);
    writeRegistry(
      root,
      readRegistry(root).map((r) =>
        r.version === NEW ? { ...r, status: "released", released_at: NEW } : r,
      ),
    );
    served = await serveIn(root, env());
    const post = (key: string) =>
      fetch(`http://127.0.0.1:${served?.port}/v1/customers`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "No email" }),
      });
    const a = await post(pinnedOld.api_key);
    expect(a.status).toBe(400);
    expect(a.headers.get("x-api-version")).toBe(OLD);
    const aBody = (await a.json()) as { error: { code: string; message: string; param: string } };
    expect(aBody.error.code).toBe("parameter_missing");
    expect(aBody.error.message.startsWith("parameter_missing: ")).toBe(true);
    const b = await post(fresh.api_key);
    expect(b.status).toBe(400);
    expect(b.headers.get("x-api-version")).toBe(NEW);
    const bBody = (await b.json()) as { error: { code: string; message: string } };
    expect(bBody.error.code).toBe("parameter_missing");
    expect(bBody.error.message.startsWith("parameter_missing")).toBe(false);
  }, 120_000);
});
