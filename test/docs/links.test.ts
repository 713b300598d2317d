/**
 * Every link of every generated page resolves: crawled over HTTP from the server `npm start`
 * runs (every same-origin href answers 200, the reference's sidebar routes and fragments
 * included), and checked on disk the way file:// resolves them.
 */
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, REPO_ROOT, startApiServer } from "../client/helpers/processes.ts";
import { createEmptyTestDatabase, type TestDatabase } from "../support/database.ts";

let work: string;
let server: ApiServer | undefined;
let database: TestDatabase | undefined;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "wth-doc-links-"));
  database = await createEmptyTestDatabase({ dir: path.join(work, "data") });
  server = await startApiServer(path.join(work, "data"), database.env);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** The hrefs of a page's markup (scripts dropped: Redoc's code holds href templates, not links). */
function hrefsOf(html: string): string[] {
  const markup = html.replace(/<script\b[\s\S]*?<\/script>/gi, "");
  return [...markup.matchAll(/\shref="([^"]*)"/g)].map((m) =>
    (m[1] ?? "").replaceAll("&amp;", "&"),
  );
}

/** The ids of a page's markup, for fragment links. */
function idsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1] ?? ""));
}

/** A fragment resolves when it is a Redoc hash route or names an element of the page. */
function fragmentProblem(fragment: string, html: string): string | undefined {
  if (fragment === "" || fragment.startsWith("/")) return undefined;
  return idsOf(html).has(fragment) ? undefined : `no element with id "${fragment}"`;
}

describe("when the docs are served by `npm start`", () => {
  it("then a crawl from /docs reaches every page, and every same-origin href answers 200", async () => {
    const origin = server?.baseUrl ?? "";
    const pages = new Map<string, string>();
    const problems: string[] = [];
    const queue = [`${origin}/docs`];
    const seen = new Set<string>(queue);
    while (queue.length > 0) {
      const url = queue.shift() ?? "";
      const response = await fetch(url);
      if (response.status !== 200) {
        problems.push(`${url}: ${response.status}`);
        continue;
      }
      const type = response.headers.get("content-type") ?? "";
      const body = await response.text();
      if (!type.startsWith("text/html")) continue;
      // Redirects followed: relative links resolve against where the page really is.
      pages.set(response.url, body);
      for (const href of hrefsOf(body)) {
        const target = new URL(href, response.url);
        if (target.origin !== origin) continue;
        const fragment = decodeURIComponent(target.hash.slice(1));
        target.hash = "";
        if (target.href === response.url || target.href === url) {
          const problem = fragmentProblem(fragment, body);
          if (problem) problems.push(`${response.url}: href="${href}": ${problem}`);
          continue;
        }
        if (!seen.has(target.href)) {
          seen.add(target.href);
          queue.push(target.href);
        }
      }
    }
    expect(problems).toEqual([]);
    // The crawl reached the landing page, every guide and the reference from links alone.
    const reached = [...pages.keys()].map((u) => u.slice(origin.length)).sort();
    expect(reached).toEqual(
      expect.arrayContaining([
        "/docs/",
        "/docs/guides/client.html",
        "/docs/guides/versioning.html",
        "/docs/guides/minting.html",
        "/2026-05-07/docs/index.html",
      ]),
    );
  }, 120_000);

  it("then GET / redirects to the landing page instead of a 404, keeping the query", async () => {
    const origin = server?.baseUrl ?? "";
    const bare = await fetch(`${origin}/`, { redirect: "manual" });
    expect(bare.status).toBe(302);
    expect(bare.headers.get("location")).toBe("/docs/");
    const queried = await fetch(`${origin}/?from=bookmark`, { redirect: "manual" });
    expect(queried.headers.get("location")).toBe("/docs/?from=bookmark");
    const followed = await fetch(`${origin}/`);
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`${origin}/docs/`);
    expect(await followed.text()).toContain("<html");
  });

  it("then the reference's sidebar links are hash routes of the page itself", async () => {
    const html = await (await fetch(`${server?.baseUrl}/docs/2026-05-07/`)).text();
    const sidebar = hrefsOf(html).filter((h) => /^#\/(listings|section\/errors)$/.test(h));
    expect(sidebar.sort()).toEqual(["#/listings", "#/section/errors", "#/section/errors"]);
  });

  it("then the Servers box and the samples name the URL the docs are served from", async () => {
    const origin = server?.baseUrl ?? "";
    const html = await (await fetch(`${origin}/docs/2026-05-07/`)).text();
    expect(html).not.toContain("http://localhost:3000");
    expect(html).toContain(`"servers":[{"url":"${origin}"`);
    expect(html).toContain(`curl -X POST '${origin}/v1/listings'`);
  });
});

/** Every generated HTML page: generated/docs/** and generated/<date>/docs/**. */
async function generatedPages(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith(".html") && full.includes(`${path.sep}docs${path.sep}`)) {
        out.push(full);
      }
    }
  };
  await walk(path.join(REPO_ROOT, "generated"));
  return out.sort();
}

describe("when the generated pages are opened from file://", () => {
  it("then every relative href names a file that exists, and every fragment an element", async () => {
    const problems: string[] = [];
    const pages = await generatedPages();
    expect(pages.length).toBeGreaterThanOrEqual(5);
    for (const page of pages) {
      const html = await readFile(page, "utf8");
      for (const href of hrefsOf(html)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // https:, mailto:
        const [file = "", fragment = ""] = href.split("#");
        const where = path.relative(REPO_ROOT, page);
        if (file === "") {
          const problem = fragmentProblem(decodeURIComponent(fragment), html);
          if (problem) problems.push(`${where}: href="${href}": ${problem}`);
          continue;
        }
        if (href.startsWith("/")) {
          problems.push(`${where}: href="${href}" is absolute; from file:// it leaves the docs`);
          continue;
        }
        const target = path.resolve(path.dirname(page), decodeURIComponent(file));
        const found = await stat(target).catch(() => undefined);
        if (!found?.isFile()) problems.push(`${where}: href="${href}": no file ${target}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
