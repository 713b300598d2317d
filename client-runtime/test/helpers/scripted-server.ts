/**
 * A real HTTP server on 127.0.0.1 whose answers a test scripts, request by request, and which
 * records what it received (method, path, headers, body).
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One scripted answer: a response, or a connection dropped without any response. */
export type Answer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { status: number; raw: string; headers?: Record<string, string> }
  | { destroy: true }
  | { delayMs: number; status: number; body?: unknown };

export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server whose `answer(request, index)` decides each response. */
export async function startScriptedServer(
  answer: (request: RecordedRequest, index: number) => Answer,
): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const reply = answer(recorded, requests.length - 1);
      if ("destroy" in reply) {
        req.socket.destroy();
        return;
      }
      const send = (): void => {
        const text =
          "raw" in reply ? reply.raw : reply.body === undefined ? "" : JSON.stringify(reply.body);
        res.writeHead(reply.status, {
          "content-type": "application/json",
          "x-api-version": "2026-05-07",
          "request-id": `req_test${requests.length}`,
          ...("headers" in reply ? reply.headers : {}),
        });
        res.end(text);
      };
      if ("delayMs" in reply) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The documented error body. */
export function apiError(code: string, message = code): unknown {
  return { error: { code, message, request_id: "req_test" } };
}
