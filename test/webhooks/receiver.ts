import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP receiver on 127.0.0.1 (random port) for webhook tests. Every request is recorded
 * with its raw body; `respond` decides the answer from the request's 1-based number.
 */
export interface ReceivedRequest {
  n: number;
  /** Path and query, e.g. `/hooks?ep=a`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  receivedAt: number;
  /** The client's source port: distinct ports = distinct connections. */
  remotePort: number | undefined;
}

export type Respond = (req: ReceivedRequest, res: http.ServerResponse) => void | Promise<void>;

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(respond: Respond = ok): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const received: ReceivedRequest = {
        n: requests.length + 1,
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        receivedAt: Date.now(),
        remotePort: req.socket.remotePort,
      };
      requests.push(received);
      Promise.resolve(respond(received, res)).catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function ok(_req: ReceivedRequest, res: http.ServerResponse): void {
  res.writeHead(204).end();
}

export function status(code: number, headers: Record<string, string> = {}, body = ""): Respond {
  return (_req, res) => {
    res.writeHead(code, headers).end(body);
  };
}

/** Fails the first `n` requests with 500, then acknowledges. */
export function failTimes(n: number): Respond {
  return (req, res) => {
    if (req.n <= n) res.writeHead(500).end("not yet");
    else res.writeHead(200).end("ok");
  };
}
