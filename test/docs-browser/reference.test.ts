import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { docsRoutes } from "../../server/docs/routes.ts";
import { fixtureRoot, runGenerate } from "../generate/helpers.ts";
import { launchChromium } from "../support/chromium.ts";

// Every case runs the real generators (Redocly, Spectral, openapi-typescript) in child
// processes; on a loaded 2-core machine one generation can take tens of seconds.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

/**
 * The generated reference and landing pages, opened from file:// in Debian's Chromium with
 * every DNS lookup failing (so a remote fetch could not succeed anyway, but is still recorded),
 * must render fully and request nothing but the page itself and data:/blob: URLs.
 */
const VERSION = "2026-01-15";

let root: string;
let profile: string;
let context: BrowserContext;
const requests: string[] = [];
const consoleProblems: string[] = [];
/** The origin of the local server below; the host-resolver rules let only localhost resolve. */
let servedOrigin = "http://localhost:unset";

beforeAll(async () => {
  root = await fixtureRoot("basic");
  // One hand-written guide, rendered by the generator and linked from the reference.
  await mkdir(path.join(root, "docs"), { recursive: true });
  await writeFile(
    path.join(root, "docs", "client.md"),
    "# Fixture client guide\n\nSee [the webhooks guide](webhooks.md).\n",
  );
  const generated = await runGenerate(root);
  if (generated.code !== 0) throw new Error(`generation failed:\n${generated.stderr}`);
  profile = await mkdtemp(path.join(os.tmpdir(), "wth-docs-browser-"));
  context = await launchChromium(profile);
  context.on("request", (request) => requests.push(request.url()));
  context.on("console", (message) => {
    // A CSP violation or a failed load is how a blocked outside request would show up.
    if (message.type() === "error" || /Content Security Policy|Refused to/i.test(message.text())) {
      consoleProblems.push(message.text());
    }
  });
});

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  if (root) await rm(root, { recursive: true, force: true });
});

function fileUrl(rel: string): string {
  return pathToFileURL(path.join(root, rel)).href;
}

async function open(rel: string): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => consoleProblems.push(`pageerror: ${error.message}`));
  await page.goto(fileUrl(rel));
  return page;
}

describe("when the generated reference page is opened offline from file://", () => {
  let page: Page;

  beforeAll(async () => {
    page = await open(`generated/${VERSION}/docs/index.html`);
    // Redoc routes by hash; the tag's route renders its operations.
    await page.locator('a[href="#/listings"], a[href="/listings"]').first().click();
  });

  it("then every operation of the document is rendered with its summary", async () => {
    for (const summary of ["List all listings", "Create a listing", "Retrieve a listing"]) {
      await expect
        .poll(() => page.getByText(summary, { exact: true }).count(), { timeout: 20_000 })
        .toBeGreaterThan(0);
    }
    const body = (await page.locator("#redoc").textContent()) ?? "";
    expect(body).toContain("/v1/listings/{listing_id}");
  });

  it("then the webhooks section lists the document's webhooks", async () => {
    const body = (await page.locator("#redoc").textContent()) ?? "";
    expect(body).toMatch(/Webhooks/);
    expect(body).toContain("listing.created");
  });

  it("then it links to the client guide, which opens", async () => {
    const guide = await open(`generated/${VERSION}/docs/index.html`);
    await guide.getByText("The typed client SDK").first().click();
    await guide.waitForURL(/generated\/docs\/guides\/client\.html$/);
    await expect.poll(() => guide.locator("h1").textContent()).toBe("Fixture client guide");
    await guide.close();
  });

  it("then it links to the landing page, which opens", async () => {
    await page.getByText("All API versions and the changelog").first().click();
    await page.waitForURL(/generated\/docs\/index\.html$/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Fixture Watch API");
  });
});

describe("when the landing page is opened offline from file://", () => {
  let page: Page;

  beforeAll(async () => {
    page = await open("generated/docs/index.html");
  });

  it("then it lists the version, marks it current and shows the changelog", async () => {
    const row = page.locator("tbody tr").filter({ hasText: VERSION });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator(".current").textContent()).toBe("current");
    expect(await page.locator(`#changelog-${VERSION}`).textContent()).toContain("Status: released");
  });

  it("then its version link opens that version's reference", async () => {
    await page.getByRole("link", { name: VERSION }).click();
    await page.waitForURL(new RegExp(`generated/${VERSION}/docs/index\\.html$`));
    await expect.poll(() => page.title()).toBe(`Fixture Watch API — ${VERSION}`);
  });
});

describe("when the pages are served by the server's docs routes (server/docs/routes.ts)", () => {
  let server: http.Server;
  let origin: string;

  beforeAll(async () => {
    const app = express();
    app.use(docsRoutes(path.join(root, "generated"), VERSION));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://localhost:${(server.address() as AddressInfo).port}`;
    servedOrigin = origin;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it("then the landing page's version link and the reference's landing link are plain links that resolve", async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/docs`);
    await page.waitForURL(`${origin}/docs/`);
    await page.getByRole("link", { name: VERSION }).click();
    await page.waitForURL(`${origin}/${VERSION}/docs/index.html`);
    await page.getByText("All API versions and the changelog").first().click();
    await page.waitForURL(`${origin}/docs/index.html`);
    expect(await page.locator("h1").textContent()).toBe("Fixture Watch API");
  });

  it("then the landing page's guide link opens the guide", async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/docs/`);
    await page.getByRole("link", { name: "The typed client SDK" }).click();
    await page.waitForURL(`${origin}/docs/guides/client.html`);
    expect(await page.locator("h1").textContent()).toBe("Fixture client guide");
  });
});

/** Screenshots a reader can look at after the run (gitignored). */
const ARTIFACTS = path.resolve(import.meta.dirname, "../../test-artifacts");
/** The committed reference of the real document, not a fixture. */
const REAL_REFERENCE = path.resolve(
  import.meta.dirname,
  "../../generated/2026-05-07/docs/index.html",
);

describe("when the real reference (2026-05-07) is opened from file://", () => {
  let page: Page;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    page = await context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    page.on("pageerror", (error) => consoleProblems.push(`pageerror: ${error.message}`));
  });

  it("then an operation shows its curl and TypeScript samples in the right panel", async () => {
    await page.goto(`${pathToFileURL(REAL_REFERENCE).href}#/listings/createlisting`);
    const panel = page.locator("#redoc");
    const text = async (): Promise<string> => (await panel.textContent()) ?? "";
    await expect
      .poll(text, { timeout: 20_000 })
      .toContain("curl -X POST 'http://localhost:3000/v1/listings'");
    expect(await text()).toContain("Authorization: Bearer $WTH_API_KEY");
    await page.screenshot({ path: path.join(ARTIFACTS, "reference-code-sample-curl.png") });
    // The tag's first operation (List listings) is the one whose menu is in view.
    await page.locator('button[aria-haspopup="menu"]', { hasText: "curl" }).first().click();
    await page.getByRole("menuitem", { name: "TypeScript" }).click();
    await expect
      .poll(text, { timeout: 10_000 })
      .toContain('import { createClient } from "@watchtraderhub/api-2026-05-07"');
    expect(await text()).toContain('await wth.GET("/v1/listings", {');
    await page.screenshot({ path: path.join(ARTIFACTS, "reference-code-sample-typescript.png") });
  });

  it("then an error code's anchor opens the Errors table at that code, with its meaning", async () => {
    await page.goto(`${pathToFileURL(REAL_REFERENCE).href}#error-invalid_cursor`);
    await page.waitForURL(/#\/section\/errors$/);
    const row = page.locator("tr", { has: page.locator("#error-invalid_cursor") });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    expect(await row.textContent()).toMatch(
      /invalid_cursor\s*400\s*starting_after is not a cursor/,
    );
    await expect.poll(() => row.isVisible()).toBe(true);
    // Scrolled into view: the row sits inside the 900-pixel viewport.
    const box = await row.boundingBox();
    expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
    expect(box?.y ?? 900).toBeLessThan(900);
    await page.screenshot({ path: path.join(ARTIFACTS, "reference-error-codes.png") });
  });

  it("then the ErrorCode schema has its own page listing every code's meaning", async () => {
    await page.goto(`${pathToFileURL(REAL_REFERENCE).href}#/schemas/errorcode`);
    const text = async (): Promise<string> => (await page.locator("#redoc").textContent()) ?? "";
    await expect
      .poll(text, { timeout: 20_000 })
      .toContain("the request body is not well-formed JSON");
    expect(await text()).toContain("too many requests; the Retry-After header says when to retry");
    await page.screenshot({ path: path.join(ARTIFACTS, "reference-error-code-schema.png") });
  });
});

describe("when all pages have been used", () => {
  it("then no request left the machine: only file:, data:, blob: and the local server, and no blocked load", () => {
    expect(requests.length).toBeGreaterThan(0);
    const outside = requests.filter(
      (url) => !/^(file|data|blob):/.test(url) && !url.startsWith(`${servedOrigin}/`),
    );
    expect(outside).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });
});
