/**
 * `wth listen` and `wth trigger` against a live server: every part a real child process
 * (`wth serve`, `wth listen`, `wth trigger`) and a real local app receiving the forwarded
 * webhooks, verified with the secret `wth listen` printed. Each process is stopped by its PID.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEmptyTestDatabase, type TestDatabase } from "../support/database.ts";
import { api, spawnWth, startServe, type WthProcess } from "../webhooks/processes.ts";
import {
  type ReceivedRequest,
  type Receiver,
  startReceiver,
  status,
} from "../webhooks/receiver.ts";

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

let dir: string;
let database: TestDatabase;
let serve: WthProcess;
let baseUrl: string;
let key: string;
let app: Receiver;
const started: WthProcess[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-listen-"));
  database = await createEmptyTestDatabase({ dir });
  const server = await startServe({
    ...database.env,
    WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
    WTH_WEBHOOK_POLL_MS: "10",
    WTH_WEBHOOK_RETRY_SCHEDULE: "0,0.05",
  });
  serve = server.proc;
  started.push(serve);
  baseUrl = server.baseUrl;
  if (server.demoKey === undefined) throw new Error("wth serve printed no demo key");
  key = server.demoKey;
  app = await startReceiver();
});

afterAll(async () => {
  for (const proc of started.reverse()) {
    proc.kill("SIGKILL");
    await proc.exited;
  }
  await app?.close();
  await database?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}): WthProcess {
  const proc = spawnWth(args, { ...database.env, WTH_API_KEY: key, WTH_BASE_URL: baseUrl, ...env });
  started.push(proc);
  return proc;
}

function headersOf(req: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(
    ["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [
      h,
      String(req.headers[h]),
    ]),
  );
}

describe("wth listen and wth trigger", () => {
  it("when listen forwards and trigger fires, then the local app gets the event signed with the printed secret, each status is shown, and stopping removes the endpoint", async () => {
    const listen = cli(["listen", "--forward-to", app.url]);
    const secret =
      (await listen.waitForLine(/^Webhook signing secret: whsec_/)).split(": ")[1] ?? "";
    const endpointId = (await listen.waitForLine(/^Temporary endpoint we_/)).split(" ")[2] ?? "";
    const endpoints = await api(baseUrl, key, "GET", "/v1/webhook_endpoints");
    expect(endpoints.body.data.map((e: { id: string }) => e.id)).toContain(endpointId);

    const trigger = cli(["trigger", "order.paid"]);
    const triggered = await trigger.waitForLine(/^Triggered order\.paid: evt_/);
    expect(await trigger.exited).toBe(0);
    const eventId = triggered.split(": ")[1] ?? "";

    const shown = await listen.waitForLine(new RegExp(`order\\.paid  ${eventId}  → 204`), 30_000);
    expect(shown).toMatch(/ ms$/);
    const received = app.requests.find((r) => r.body.includes(eventId));
    if (received === undefined) throw new Error("the local app got nothing");
    expect(received.path).toBe(new URL(app.url).pathname);
    const verified = new Webhook(secret).verify(received.body, headersOf(received)) as {
      id: string;
      type: string;
      api_version: string;
    };
    expect(verified).toMatchObject({ id: eventId, type: "order.paid", api_version: "2026-05-07" });

    listen.kill("SIGINT");
    await listen.waitForLine(new RegExp(`^Removed endpoint ${endpointId}\\.$`));
    expect(await listen.exited).toBe(0);
    const after = await api(baseUrl, key, "GET", `/v1/webhook_endpoints/${endpointId}`);
    expect(after.status).toBe(404);
  });

  it("when the local app fails, then listen shows the failing status and the server retries it", async () => {
    const failing = await startReceiver(status(500));
    try {
      const listen = cli(["listen", "--forward-to", failing.url, "--events", "customer.created"]);
      await listen.waitForLine(/^Temporary endpoint we_/);
      const trigger = cli(["trigger", "customer.created"]);
      expect(await trigger.exited).toBe(0);
      await listen.waitForLine(/customer\.created {2}evt_\S+ {2}→ 500/, 30_000);
      // The retry schedule above has a second attempt 50 ms later.
      await expect
        .poll(() => listen.lines.filter((l) => /customer\.created .* → 500/.test(l)).length, {
          timeout: 30_000,
        })
        .toBeGreaterThanOrEqual(2);
      listen.kill("SIGTERM");
      expect(await listen.exited).toBe(0);
    } finally {
      await failing.close();
    }
  });

  it.each([
    ["no key", ["trigger", "order.paid"], { WTH_API_KEY: "" }, /set WTH_API_KEY/],
    ["an unknown event type", ["trigger", "order.teleported"], {}, /400 parameter_invalid/],
    ["no event type", ["trigger"], {}, /give exactly one event type/],
    ["no --forward-to", ["listen"], {}, /--forward-to <http\(s\) URL> is required/],
    [
      "a server that is down",
      ["trigger", "order.paid"],
      { WTH_BASE_URL: "http://127.0.0.1:9" },
      /cannot reach http:\/\/127\.0\.0\.1:9/,
    ],
  ])(
    "when given %s, then it fails with one line naming the cause",
    async (_n, args, env, message) => {
      const proc = cli(args, env);
      const code = await proc.exited;
      expect(code).not.toBe(0);
      const text = proc.lines.join("\n");
      expect(text).toMatch(message);
      expect(text).not.toMatch(/\n\s+at /); // no stack trace
    },
  );
});
