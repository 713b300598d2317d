/**
 * The newest document types the server: renaming a request field in it, then regenerating,
 * makes `tsc --noEmit` fail in the handler that reads the field and in the listing's EDITABLE
 * column map, and renaming a webhook endpoint field fails where its row is mapped to the
 * document's object, until they follow. Runs on a repository copy; it needs no database, so CI runs
 * it in the SQLite pass only (.ci/run excludes test/types from the PostgreSQL pass).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readVersionList, repoRoot } from "../../server/versions/registry.ts";
import { copyRepository, type Run, wthIn } from "../versions/repo-copy.ts";

const SOURCE = path.join("openapi", newestVersion());
const HANDLER = "server/resources/listings.ts";
/** Where a webhook endpoint row becomes the document's WebhookEndpoint (routes.ts returns it). */
const WEBHOOK_MAPPING = "server/webhooks/endpoints.ts";

/** The newest listed version (released or not): the document generated/newest.ts types. */
function newestVersion(): string {
  const newest = readVersionList().latest;
  if (newest === undefined) throw new Error("the version registry lists no version");
  return newest;
}

/** Replaces every match in one file of the copy, failing loudly when there is none. */
function rename(root: string, file: string, from: RegExp, to: string): void {
  const full = path.join(root, SOURCE, file);
  const text = fs.readFileSync(full, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: nothing matched ${from}`);
  fs.writeFileSync(full, next);
}

/** `tsc --noEmit` over the server and generated/ of the copy (the parts the rename reaches). */
function typeCheck(root: string): Promise<Run> {
  const config = path.join(root, "tsconfig.rename-test.json");
  fs.writeFileSync(
    config,
    JSON.stringify({ extends: "./tsconfig.json", include: ["server", "generated"] }),
  );
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, "--noEmit", "--pretty", "false", "-p", config], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c;
    });
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("given a copy of the repository whose newest document renames reference_number to reference in the listing requests and disabled_reason to disable_reason in the webhook endpoint", () => {
  let root: string;
  let generated: Run;
  let checked: Run;

  beforeAll(async () => {
    root = copyRepository("wth-typed-rename-");
    rename(
      root,
      "components/schemas/CreateListingRequest.yaml",
      /\breference_number\b/g,
      "reference",
    );
    rename(
      root,
      "components/schemas/UpdateListingRequest.yaml",
      /\breference_number\b/g,
      "reference",
    );
    // The create request's examples (16 spaces deep); the responses' examples keep the field.
    rename(root, "paths/listings.yaml", /^ {16}reference_number:/gm, "                reference:");
    // A response field of the webhook endpoint, with every example that shows it.
    for (const file of [
      "components/schemas/WebhookEndpoint.yaml",
      "components/schemas/WebhookEndpointWithSecret.yaml",
      "paths/webhook_endpoints.yaml",
    ]) {
      rename(root, file, /\bdisabled_reason\b/g, "disable_reason");
    }
    generated = await wthIn(root, ["generate"]);
    checked = await typeCheck(root);
  }, 600_000);

  afterAll(() => {
    if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
  });

  it("when wth generate and tsc --noEmit run, then generate succeeds and tsc fails in the listing handler and the webhook endpoint mapping only", () => {
    expect(generated.stderr).not.toMatch(/error/i);
    expect(generated.code).toBe(0);
    expect(checked.code).not.toBe(0);
    const errors = checked.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
    const files = new Set(errors.map((line) => line.split("(")[0]));
    expect([...files].sort()).toEqual([HANDLER, WEBHOOK_MAPPING].sort());
    // The create handler reads body.reference_number; EDITABLE lists it as an update field.
    expect(errors.some((line) => /'reference_number' does not exist/.test(line))).toBe(true);
    expect(errors.some((line) => /"reference_number"/.test(line))).toBe(true);
    // endpointFromRow still writes disabled_reason, which WebhookEndpoint no longer has.
    const webhook = errors.filter((line) => line.startsWith(WEBHOOK_MAPPING));
    expect(webhook.some((line) => /disabled_reason/.test(line))).toBe(true);
  });
});
