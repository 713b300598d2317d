import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebhookSender } from "../../server/webhooks/sender.ts";
import { type Receiver, type Respond, startReceiver, status } from "./receiver.ts";

const open: { receivers: Receiver[]; senders: WebhookSender[] } = { receivers: [], senders: [] };
afterEach(async () => {
  await Promise.all(open.senders.map((s) => s.close()));
  await Promise.all(open.receivers.map((r) => r.close()));
  open.receivers = [];
  open.senders = [];
});

async function setup(
  respond: Respond,
  options: ConstructorParameters<typeof WebhookSender>[0] = {},
) {
  const receiver = await startReceiver(respond);
  const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 2_000, ...options });
  open.receivers.push(receiver);
  open.senders.push(sender);
  const send = () =>
    sender.send({ url: receiver.url, headers: { "webhook-id": "evt_x" }, body: Buffer.from("{}") });
  return { receiver, sender, send };
}

describe("the webhook sender", () => {
  it("when the receiver answers 2xx, then the attempt succeeds with status, duration and snippet", async () => {
    const { send, receiver } = await setup(status(200, {}, "thanks"));
    const outcome = await send();
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, error: null, snippet: "thanks" });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(receiver.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(receiver.requests[0]?.headers["webhook-id"]).toBe("evt_x");
    expect(receiver.requests[0]?.body).toBe("{}");
  });

  it.each([
    [500, "http_status"],
    [404, "http_status"],
    [410, "http_status"],
  ])("when the receiver answers %i, then the attempt fails as %s", async (code, error) => {
    const { send } = await setup(status(code, {}, "nope"));
    expect(await send()).toMatchObject({ ok: false, statusCode: code, error, snippet: "nope" });
  });

  it.each([301, 302, 307, 308])(
    "when the receiver redirects with %i, then the redirect is not followed and counts as a failure",
    async (code) => {
      const target = await startReceiver();
      open.receivers.push(target);
      const { send, receiver } = await setup(status(code, { location: target.url }));
      expect(await send()).toMatchObject({ ok: false, statusCode: code, error: "redirect" });
      expect(receiver.requests).toHaveLength(1);
      expect(target.requests).toHaveLength(0);
    },
  );

  it.each([
    [429, "7", "7"],
    [503, "Thu, 07 May 2026 12:00:00 GMT", "Thu, 07 May 2026 12:00:00 GMT"],
    [500, "7", null],
  ])(
    "when the receiver answers %i with Retry-After %j, then it is passed on as %j",
    async (code, header, want) => {
      const { send } = await setup(status(code, { "retry-after": header }));
      expect((await send()).retryAfter).toBe(want);
    },
  );

  it("when the receiver is slower than the timeout, then the attempt fails as a timeout near the deadline", async () => {
    const { send } = await setup(
      (_req, res) => {
        setTimeout(() => res.writeHead(200).end(), 2_000);
      },
      { timeoutMs: 200 },
    );
    const outcome = await send();
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: "timeout" });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(190);
    expect(outcome.durationMs).toBeLessThan(1_500);
  });

  it("when the headers arrive but the body trickles past the timeout, then it is a timeout", async () => {
    const { send } = await setup(
      (_req, res) => {
        res.writeHead(200);
        res.write("a");
        setTimeout(() => res.end("b"), 2_000);
      },
      { timeoutMs: 200 },
    );
    expect(await send()).toMatchObject({ ok: false, statusCode: 200, error: "timeout" });
  });

  it("when the response body is huge, then reading stops at the limit and the attempt fails", async () => {
    let written = 0;
    const { send } = await setup(
      (_req, res) => {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 97);
        // Stream up to 64 MiB; the sender must hang up long before.
        const pump = () => {
          while (written < 64 * 1024 * 1024) {
            written += chunk.length;
            if (!res.write(chunk)) {
              res.once("drain", pump);
              return;
            }
          }
          res.end();
        };
        res.on("error", () => {});
        pump();
      },
      { maxResponseBytes: 16 * 1024 },
    );
    const outcome = await send();
    expect(outcome).toMatchObject({ ok: false, statusCode: 200, error: "response_too_large" });
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it("when a long body is answered within the limit, then the snippet is cut at 1024 characters", async () => {
    const { send } = await setup(status(500, {}, "x".repeat(5_000)));
    expect((await send()).snippet).toHaveLength(1024);
  });

  it("when nothing listens on the port, then the attempt fails as a connection error", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 2_000 });
    open.senders.push(sender);
    const outcome = await sender.send({
      url: `http://127.0.0.1:${port}/`,
      headers: {},
      body: Buffer.from("{}"),
    });
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: "connection_error" });
    expect(outcome.snippet).toMatch(/ECONNREFUSED/);
  });

  it.each(["http://127.0.0.1:{port}/hooks", "http://localhost:{port}/hooks"])(
    "when private targets are not allowed, then %s is refused at connect time",
    async (template) => {
      const receiver = await startReceiver();
      open.receivers.push(receiver);
      const sender = new WebhookSender({ allowPrivate: false, timeoutMs: 2_000 });
      open.senders.push(sender);
      const url = template.replace("{port}", new URL(receiver.url).port);
      const outcome = await sender.send({ url, headers: {}, body: Buffer.from("{}") });
      expect(outcome).toMatchObject({ ok: false, error: "connection_error" });
      expect(outcome.snippet).toMatch(/disallowed address/);
      expect(receiver.requests).toHaveLength(0);
    },
  );

  it("when attempts wait for a busy pool past their deadline, then they fail as timeouts at the deadline and are never sent", async () => {
    // One connection, and a receiver that never answers: the first attempt holds the connection
    // until its deadline; the two queued behind it reach theirs before a connection frees up.
    const { sender, receiver } = await setup(() => {}, {
      connectionsPerOrigin: 1,
      timeoutMs: 300,
    });
    const send = (id: string) =>
      sender.send({ url: receiver.url, headers: { "webhook-id": id }, body: Buffer.from("{}") });
    const outcomes = await Promise.all([send("evt_a"), send("evt_b"), send("evt_c")]);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ ok: false, statusCode: null, error: "timeout" });
      expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
      expect(outcome.durationMs).toBeLessThan(1_500);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests.map((r) => r.headers["webhook-id"])).toEqual(["evt_a"]);
  });

  it("when the URL cannot be parsed, then the attempt fails as a connection error without a request", async () => {
    const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 2_000 });
    open.senders.push(sender);
    for (let i = 0; i < 2; i++) {
      const outcome = await sender.send({ url: "not a url", headers: {}, body: Buffer.from("{}") });
      expect(outcome).toMatchObject({ ok: false, statusCode: null, error: "connection_error" });
      expect(outcome.snippet).toMatch(/Invalid URL/);
    }
  });

  it("when many attempts go to one origin, then they share a bounded keep-alive pool", async () => {
    const { send, receiver } = await setup(status(204), { connectionsPerOrigin: 4 });
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => send()));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(receiver.requests).toHaveLength(100);
    const connections = new Set(receiver.requests.map((r) => r.remotePort));
    expect(connections.size).toBeGreaterThanOrEqual(1);
    expect(connections.size).toBeLessThanOrEqual(4);
  });
});
