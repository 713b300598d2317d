import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "../../server/versions/registry.ts";
import { startApiServer } from "./api-harness.ts";
import { spawnNode } from "./processes.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The code block that follows `<!-- snippet: name -->` in docs/webhooks.md, de-indented. */
async function snippet(name: string): Promise<string> {
  const doc = await fs.readFile(path.join(repoRoot, "docs", "webhooks.md"), "utf8");
  const at = doc.indexOf(`<!-- snippet: ${name} -->`);
  if (at < 0) throw new Error(`docs/webhooks.md has no snippet ${name}`);
  const m = /```js\n([\s\S]*?)\n\s*```/.exec(doc.slice(at));
  if (m?.[1] === undefined) throw new Error(`snippet ${name} has no js block`);
  const lines = m[1].split("\n");
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)?.[0].length ?? 0),
  );
  return lines.map((l) => l.slice(indent)).join("\n");
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("docs/webhooks.md", () => {
  it("when the guide's receiver snippet runs, then it verifies and prints a real delivery of a listing change", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-webhooks-docs-"));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(dir, "receiver.mjs"), await snippet("receiver.mjs"));
    await fs.symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));

    const srv = await startApiServer();
    cleanups.push(() => srv.close());
    const { key } = await srv.integration();
    const port = await freePort();
    const endpoint = await srv.call(key, "POST", "/v1/webhook_endpoints", {
      url: `http://127.0.0.1:${port}/webhooks`,
      enabled_events: ["*"],
      description: "my laptop",
    });
    expect(endpoint.status).toBe(201);

    const receiver = spawnNode([path.join(dir, "receiver.mjs")], {
      cwd: dir,
      env: { WEBHOOK_SECRET: endpoint.body.secret, PORT: String(port) },
    });
    cleanups.push(async () => {
      receiver.kill("SIGTERM");
      await receiver.exited;
    });
    await receiver.waitForLine(new RegExp(`listening on ${port}`));

    const listing = await srv.call(key, "POST", "/v1/listings", {
      brand: "Omega",
      model: "Speedmaster",
      reference_number: "310.30.42.50.01.001",
      condition: "excellent",
      price: 650000,
      currency: "EUR",
    });
    const line = await receiver.waitForLine(/^listing\.created evt_/);
    expect(line).toMatch(new RegExp(`^listing\\.created evt_[0-9A-Za-z]+ ${listing.body.id}$`));
  });
});
