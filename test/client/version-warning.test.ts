/**
 * The default reaction to a version mismatch is one `console.warn` per version. Observed from a
 * real child process's stderr, so nothing in this process is patched.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ScriptedServer,
  startScriptedServer,
} from "../../client-runtime/test/helpers/scripted-server.ts";
import { REPO_ROOT, run } from "./helpers/processes.ts";

let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer((request) => ({
    status: 200,
    body: { id: "int_1", object: "integration" },
    headers: { "x-api-version": request.url.includes("later") ? "2027-01-01" : "2026-09-01" },
  }));
});

afterAll(async () => {
  await server.close();
});

describe("the default version-mismatch warning", () => {
  it("when three responses come in other versions, then stderr has one warning per version", async () => {
    const entry = pathToFileURL(path.join(REPO_ROOT, "generated/2026-05-07/client/index.js")).href;
    const script = `
      const { createClient } = await import(${JSON.stringify(entry)});
      const wth = createClient({ apiKey: "wth_test_k", baseUrl: ${JSON.stringify(server.url)} });
      await wth.GET("/v1/integration");
      await wth.GET("/v1/integration");
      await wth.GET("/v1/integration", { params: { query: { later: 1 } } });
    `;
    const child = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: REPO_ROOT,
    });
    expect(child.code, child.stderr).toBe(0);
    const warnings = child.stderr.trim().split("\n");
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^\[@watchtraderhub\/api-2026-05-07\] The API answered in version 2026-09-01, but this client was generated for 2026-05-07\./,
    );
    expect(warnings[1]).toContain("answered in version 2027-01-01");
    expect(server.requests).toHaveLength(3);
  });
});
