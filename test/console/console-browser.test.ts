/**
 * The console in Debian's Chromium, as a user clicks through it: log in with a test key, see
 * the pinned version, register a webhook endpoint (the secret shown once), trigger an event and
 * watch its delivery arrive in the delivery log. Real server, real worker, real receiver.
 * Screenshots land in test-artifacts/console/ (gitignored).
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { repoRoot } from "../../server/versions/registry.ts";
import { launchChromium } from "../support/chromium.ts";
import { type ApiServer, startApiServer } from "../webhooks/api-harness.ts";
import { failTimes, type Receiver, startReceiver } from "../webhooks/receiver.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const ARTIFACTS = path.join(repoRoot, "test-artifacts", "console");

let api: ApiServer;
let receiver: Receiver;
let profile: string;
let context: BrowserContext;
let page: Page;
let key: string;
/** The host-resolver rules let only `localhost` resolve (an IP literal is mapped too). */
let origin: string;
const outside: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  api = await startApiServer();
  receiver = await startReceiver();
  key = (await api.integration("test")).key;
  origin = api.baseUrl.replace("127.0.0.1", "localhost");
  profile = await mkdtemp(path.join(os.tmpdir(), "wth-console-browser-"));
  context = await launchChromium(profile);
  context.on("request", (request) => {
    if (!request.url().startsWith(origin)) outside.push(request.url());
  });
  context.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await receiver?.close();
  await api?.close();
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe("the console in Chromium", () => {
  it("when a user logs in, registers an endpoint and triggers an event, then the delivery shows up in the log", async () => {
    await page.goto(`${origin}/console`);
    await page.getByLabel("API key").fill(key);
    await shot("1-login");
    await page.getByRole("button", { name: "Log in" }).click();

    // Settings → API version: the pinned version.
    await expect.poll(() => page.locator("#pinned-version").textContent()).toBe("2026-05-07");
    expect(await page.locator("#versions").textContent()).toContain("pinned");
    expect(page.url()).not.toContain(key);
    expect(await page.evaluate("sessionStorage.getItem('wth.console.key')")).toBe(key);
    await shot("2-settings-api-version");

    await page.locator("nav").getByRole("link", { name: "API keys", exact: true }).click();
    await expect.poll(() => page.locator("#keys").textContent()).toContain(key.slice(0, 17));
    expect(await page.locator("#keys").textContent()).not.toContain(key);

    // Register an endpoint: the secret is shown once.
    await page.locator("nav").getByRole("link", { name: "Webhook endpoints", exact: true }).click();
    await page.getByLabel("URL").fill(`${receiver.url}/hooks`);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect.poll(() => page.locator("#secret").textContent()).toMatch(/^whsec_/);
    expect(await page.locator("#endpoints").textContent()).toContain(`${receiver.url}/hooks`);
    await shot("3-endpoint-created");

    // Trigger an event from the Events page.
    await page.locator("nav").getByRole("link", { name: "Events", exact: true }).click();
    await page.getByLabel("Send a test event").selectOption("order.paid");
    await page.getByRole("button", { name: "Trigger" }).click();
    await expect.poll(() => page.locator("#events").textContent()).toContain("order.paid");
    await page.locator("#events summary").first().click();
    expect(await page.locator("#events pre").first().textContent()).toContain('"api_version"');
    await shot("4-events");

    // Watch it arrive in the delivery log.
    await page.locator("nav").getByRole("link", { name: "Webhook endpoints", exact: true }).click();
    await page.getByRole("link", { name: "Deliveries" }).first().click();
    await expect
      .poll(
        () =>
          page
            .locator("#deliveries")
            .textContent()
            .catch(() => ""),
        { timeout: 20_000 },
      )
      .toContain("succeeded");
    const row = page.locator("#deliveries > tbody > tr").first();
    expect(await row.locator("td").nth(0).textContent()).toContain("order.paid");
    expect(await row.locator("td").nth(1).textContent()).toBe("succeeded");
    expect(await row.locator("td").nth(2).textContent()).toMatch(/^2\d\d$/);
    expect(await row.locator("td").nth(3).textContent()).toMatch(/^\d+ ms$/);
    expect(receiver.requests.some((r) => r.body.includes('"order.paid"'))).toBe(true);
    await shot("5-delivery-log");

    // Replay puts a second delivery of the same event in the log.
    await page.getByRole("button", { name: "Replay" }).first().click();
    await expect
      .poll(() => page.locator("#deliveries > tbody > tr").count(), { timeout: 20_000 })
      .toBe(2);

    // Disable from the endpoints page; the key is gone after logging out.
    await page.locator("nav").getByRole("link", { name: "Webhook endpoints", exact: true }).click();
    await page.getByRole("button", { name: "Disable" }).click();
    await expect.poll(() => page.locator("#endpoints").textContent()).toContain("disabled");
    await page.locator("nav").getByRole("link", { name: "Log out", exact: true }).click();
    await expect.poll(() => page.getByLabel("API key").count()).toBe(1);
    expect(await page.evaluate("sessionStorage.getItem('wth.console.key')")).toBeNull();

    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("when deliveries to an endpoint are dead-lettered, then the console shows them with their responses and recovers them; a rotated secret is shown once", async () => {
    // Three attempts (the harness's schedule) fail, so the delivery is dead-lettered; the
    // recovered one is the fourth request, which succeeds.
    const flaky = await startReceiver(failTimes(3));
    try {
      const other = (await api.integration("test")).key;
      await page.goto(`${origin}/console`);
      await page.evaluate("sessionStorage.clear()");
      await page.reload();
      await page.getByLabel("API key").fill(other);
      await page.getByRole("button", { name: "Log in" }).click();
      await page
        .locator("nav")
        .getByRole("link", { name: "Webhook endpoints", exact: true })
        .click();
      await page.getByLabel("URL").fill(flaky.url);
      await page.getByLabel("Events").fill("listing.created");
      await page.getByRole("button", { name: "Add endpoint" }).click();
      const first = await page.locator("#secret").textContent();
      await page.getByRole("button", { name: "Rotate secret" }).click();
      await expect.poll(() => page.locator("#secret").textContent()).not.toBe(first);
      expect(await page.locator("#secret").textContent()).toMatch(/^whsec_/);
      await page.locator("nav").getByRole("link", { name: "Events", exact: true }).click();
      await page.getByLabel("Send a test event").selectOption("listing.created");
      await page.getByRole("button", { name: "Trigger" }).click();
      await expect.poll(() => flaky.requests.length, { timeout: 20_000 }).toBe(3);

      await page
        .locator("nav")
        .getByRole("link", { name: "Webhook endpoints", exact: true })
        .click();
      await page.getByRole("link", { name: "Dead letters" }).click();
      await expect
        .poll(
          async () => {
            await page.reload();
            return page
              .locator("#dead-letters")
              .textContent({ timeout: 1000 })
              .catch(() => "");
          },
          { timeout: 20_000 },
        )
        .toContain("listing.created");
      await page.locator("#dead-letters summary").first().click();
      expect(await page.locator("#dead-letters").textContent()).toContain("not yet");
      await shot("6-dead-letters");
      await page.getByRole("button", { name: "Recover all" }).click();
      await expect
        .poll(
          () =>
            page
              .locator("#deliveries")
              .textContent({ timeout: 1000 })
              .catch(() => ""),
          { timeout: 20_000 },
        )
        .toContain("succeeded");
      expect(flaky.requests).toHaveLength(4);
      await shot("7-recovered");
    } finally {
      await flaky.close();
    }
  });

  it("when a wrong key is entered, then the login says so and nothing is stored", async () => {
    await page.goto(`${origin}/console`);
    await page.evaluate("sessionStorage.clear()");
    await page.reload();
    await page.getByLabel("API key").fill("wth_test_00000000000000000000000000000000");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("not accepted");
    expect(await page.evaluate("sessionStorage.getItem('wth.console.key')")).toBeNull();
  });
});
