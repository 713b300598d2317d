/**
 * The reference as the real server serves it at /docs, under its Content-Security-Policy and
 * frame protection: Chromium renders it fully, reports no CSP violation and requests nothing
 * outside the server; and the API's own responses are nosniff and no-store.
 */

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestServer, type TestServer } from "../server/harness.ts";
import { launchChromium } from "../support/chromium.ts";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let srv: TestServer;
let profile: string;
let context: BrowserContext;
const requests: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  srv = await startTestServer();
  profile = await mkdtemp(path.join(os.tmpdir(), "wth-served-docs-"));
  context = await launchChromium(profile);
  context.on("request", (request) => requests.push(request.url()));
  context.on("console", (message) => {
    if (message.type() === "error" || /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(message.text());
    }
  });
});

afterAll(async () => {
  await context?.close();
  await srv?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe("when the reference is served at /docs/<date> with its security headers", () => {
  it("then the page carries a CSP, frame protection and nosniff", async () => {
    const res = await srv.request("GET", "/docs/2026-05-07/");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("then Chromium renders every operation and the landing page without a CSP violation or an outside request", async () => {
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    // The resolver rules let only localhost resolve (IP literals included).
    const origin = srv.baseUrl.replace("127.0.0.1", "localhost");
    await page.goto(`${origin}/docs/2026-05-07`);
    await page.locator('a[href="#/listings"], a[href="/listings"]').first().click();
    await expect
      .poll(() => page.getByText("Create a listing", { exact: true }).count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.goto(`${origin}/docs`);
    await expect.poll(() => page.locator("h1").count()).toBeGreaterThan(0);
    await page.close();
    const outside = requests.filter(
      (url) => !/^(data|blob):/.test(url) && !url.startsWith(`${origin}/`),
    );
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe("when the API answers", () => {
  it("then success and error responses are nosniff and no-store, and carry no CSP", async () => {
    const key = (await srv.integration("test")).key;
    for (const [path, k] of [
      ["/v1/integration", key],
      ["/v1/integration", null],
      ["/v1/nowhere", key],
    ] as const) {
      const res = await srv.request("GET", path, { key: k });
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
    const created = await srv.request("POST", "/v1/webhook_endpoints", {
      key,
      body: { url: "https://93.184.216.34/hooks", enabled_events: ["*"] },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
