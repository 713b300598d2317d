/**
 * The soak's faulty webhook receiver, a process of its own on 127.0.0.1, one random port per fault
 * (the worker keeps a connection pool per origin, and real receivers do not share one). The path
 * picks the behaviour, so each endpoint the load creates sees one kind of trouble:
 *   /ok 204 · /error 500 · /gone 410 · /timeout never answers · /slow sends headers, then a body
 *   slower than any deadline · /reset destroys the connection · /flaky any of these by chance.
 * It tells the parent (IPC) its ports, and on request every (path, webhook-id) it answered 2xx.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

type Fault = "ok" | "error" | "gone" | "timeout" | "slow" | "reset";

const accepted = new Map<string, string[]>();
let requests = 0;

function act(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse, path: string) {
  switch (fault) {
    case "ok": {
      res.writeHead(204).end();
      const id = String(req.headers["webhook-id"]);
      const list = accepted.get(path) ?? [];
      list.push(id);
      accepted.set(path, list);
      return;
    }
    case "error":
      res.writeHead(500, { "content-type": "text/plain" }).end("receiver failure");
      return;
    case "gone":
      res.writeHead(410).end();
      return;
    case "timeout":
      // Holds the request open; the sender's deadline ends it.
      return;
    case "slow": {
      res.writeHead(200, { "content-type": "text/plain" });
      const drip = setInterval(() => res.write("."), 250);
      res.on("close", () => clearInterval(drip));
      setTimeout(() => {
        clearInterval(drip);
        res.end();
      }, 30_000).unref();
      return;
    }
    case "reset":
      req.socket.destroy();
      return;
  }
}

const FLAKY: Fault[] = ["ok", "ok", "ok", "error", "timeout", "reset"];

const FAULTS = ["ok", "error", "gone", "timeout", "slow", "reset", "flaky"];

const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
  requests++;
  req.on("data", () => {});
  req.on("end", () => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const name = path.slice(1);
    const fault: Fault =
      name === "flaky"
        ? (FLAKY[Math.floor(Math.random() * FLAKY.length)] ?? "ok")
        : ((["ok", "error", "gone", "timeout", "slow", "reset"] as const).find((f) => f === name) ??
          "error");
    act(fault, req, res, path);
  });
};

const ports: Record<string, number> = {};
for (const fault of FAULTS) {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  server.listen(0, "127.0.0.1", () => {
    ports[`/${fault}`] = (server.address() as AddressInfo).port;
    if (Object.keys(ports).length === FAULTS.length) process.send?.({ ports });
  });
}
process.on("message", (m: { report?: boolean }) => {
  if (m.report) process.send?.({ accepted: Object.fromEntries(accepted), requests });
});
process.on("disconnect", () => process.exit(0));
