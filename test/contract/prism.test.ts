/**
 * The contract check can fail: Prism, in front of an upstream that breaks the document on purpose,
 * reports the broken response and refuses the invalid request, and `prismVerdict` reads both.
 * (The end-to-end and property tests run their traffic through the same proxy.)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadVersionRegistry } from "../../server/versions/registry.ts";
import { describeViolations, type Prism, prismVerdict, startPrism } from "../support/prism.ts";

let upstream: http.Server;
let prism: Prism;
let seen: string[];

async function send(url: string, method: string, headers: Record<string, string>) {
  const res = await fetch(url, { method, headers });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

beforeAll(async () => {
  seen = [];
  // Answers every request with an integration whose `mode` is not one the document allows.
  upstream = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "application/json", "request-id": "req_0123456789" });
    res.end(
      JSON.stringify({
        id: "int_0123456789abcdef01234567",
        object: "integration",
        name: "Broken",
        mode: "staging",
        api_version: "2026-05-07",
        created_at: "2026-05-07T12:00:00.000Z",
      }),
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const { port } = upstream.address() as AddressInfo;
  prism = await startPrism(`http://127.0.0.1:${port}`, loadVersionRegistry().newest);
});

afterAll(async () => {
  await prism?.stop();
  upstream?.closeAllConnections();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

describe("Prism's validating proxy", () => {
  it("when the upstream's response breaks the document, then the verdict is a response violation naming the field", async () => {
    const reply = await send(`${prism.url}/v1/integration`, "GET", {
      authorization: "Bearer wth_test_0123456789abcdef0123456789abcdef",
    });
    const verdict = prismVerdict(reply);
    expect(verdict.kind, prism.output()).toBe("response-violation");
    if (verdict.kind === "response-violation") {
      expect(describeViolations(verdict.violations)).toMatch(/mode/);
    }
    expect(seen).toEqual(["GET /v1/integration"]);
  });

  it("when the request breaks the document, then Prism refuses it before the upstream sees it", async () => {
    seen = [];
    const reply = await send(`${prism.url}/v1/listings?limit=many`, "GET", {
      authorization: "Bearer wth_test_0123456789abcdef0123456789abcdef",
    });
    const verdict = prismVerdict(reply);
    expect(verdict.kind).toBe("request-violation");
    if (verdict.kind === "request-violation") {
      expect(describeViolations(verdict.violations)).toMatch(/limit/);
    }
    expect(seen).toEqual([]);
  });

  it("when the request has no key, then Prism refuses it as unauthorised", async () => {
    const reply = await send(`${prism.url}/v1/integration`, "GET", {});
    expect(prismVerdict(reply)).toMatchObject({
      kind: "request-violation",
      problem: "UNAUTHORIZED",
    });
  });
});
