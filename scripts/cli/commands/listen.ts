/**
 * `wth listen --forward-to <url>`: webhooks of your integration, delivered to a local app.
 *
 * How events reach the CLI: it starts its own receiver on 127.0.0.1, registers that as a
 * temporary webhook endpoint of the integration (through the public API, with WTH_API_KEY),
 * and forwards each delivery it receives to --forward-to unchanged: the same raw body and the
 * same `webhook-id` / `webhook-timestamp` / `webhook-signature` headers, so the local app
 * verifies it with the endpoint's secret, which is printed at start. The local app's status is
 * the receiver's answer, so a failing local app sees the server's retries as any endpoint
 * would. On SIGINT / SIGTERM the endpoint is deleted. The server must be able to reach
 * 127.0.0.1, which is what local development is; it accepts such a URL only with
 * WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { Webhook } from "standardwebhooks";
import { apiTarget, CliError, callApi } from "../api-client.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth listen --forward-to <url> [--events <type,type|*>] [--port <n>]

Registers a temporary webhook endpoint for your integration and forwards every event it
receives to <url>, signed (Standard Webhooks) with the secret it prints; shows each delivery's
status; removes the endpoint when stopped (Ctrl-C).
Environment: WTH_API_KEY (your key), WTH_BASE_URL (default http://localhost:3000). The server
must run with WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1, since the endpoint is on 127.0.0.1.
Example: WTH_API_KEY=wth_test_… wth listen --forward-to http://localhost:4000/hooks
`;

const FORWARD_TIMEOUT_MS = 10_000;
const SIGNATURE_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function header(req: http.IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

export const command: Command = {
  summary: "forward your integration's webhooks to a local URL (temporary endpoint)",
  async run(args, cli) {
    let values: { "forward-to"?: string; events?: string; port?: string; help?: boolean };
    try {
      values = parseArgs({
        args,
        options: {
          "forward-to": { type: "string" },
          events: { type: "string" },
          port: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      }).values;
    } catch (err) {
      process.stderr.write(`wth listen: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (values.help === true) {
      process.stdout.write(USAGE);
      return 0;
    }
    const forwardTo = values["forward-to"];
    if (forwardTo === undefined || !/^https?:\/\/[^\s]+$/.test(forwardTo)) {
      process.stderr.write(`wth listen: --forward-to <http(s) URL> is required\n\n${USAGE}`);
      return 2;
    }
    const port = Number(values.port ?? "0");
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new CliError(`--port must be a port number, got "${values.port}"`);
    }
    const events = (values.events ?? "*")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const target = apiTarget(cli.api);
    const integration = await callApi(target, "GET", "/v1/integration");

    let verifier: Webhook | undefined;
    const out = (line: string): void => {
      process.stdout.write(`${line}\n`);
    };
    const receiver = http.createServer(async (req, res) => {
      const started = Date.now();
      const body = await readBody(req);
      const headers = Object.fromEntries(SIGNATURE_HEADERS.map((h) => [h, header(req, h)]));
      let event: { id?: string; type?: string } = {};
      try {
        if (verifier === undefined) throw new Error("not registered yet");
        event = verifier.verify(body, headers) as typeof event;
      } catch (err) {
        out(
          `${new Date().toISOString()}  refused a request that is not a signed delivery: ${(err as Error).message}`,
        );
        res.writeHead(401).end();
        return;
      }
      let status: number;
      let note = "";
      try {
        const forwarded = await fetch(forwardTo, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
        });
        status = forwarded.status;
        await forwarded.arrayBuffer();
      } catch (err) {
        // The server records the failure and retries, as for any endpoint that is down.
        status = 502;
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
        note = ` (${forwardTo} unreachable: ${cause})`;
      }
      out(
        `${new Date().toISOString()}  ${event.type ?? "?"}  ${event.id ?? "?"}  → ${status}  ${Date.now() - started} ms${note}`,
      );
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve, reject) => {
      receiver.once("error", reject);
      receiver.listen(port, "127.0.0.1", () => resolve());
    });
    const { port: bound } = receiver.address() as AddressInfo;

    let endpoint: Record<string, unknown>;
    try {
      endpoint = await callApi(target, "POST", "/v1/webhook_endpoints", {
        url: `http://127.0.0.1:${bound}/`,
        enabled_events: events,
        description: `wth listen → ${forwardTo} (temporary)`,
      });
    } catch (err) {
      receiver.close();
      throw err;
    }
    verifier = new Webhook(String(endpoint.secret));
    out(`Forwarding webhooks of ${String(integration.id)} (${events.join(", ")}) to ${forwardTo}`);
    out(`Webhook signing secret: ${String(endpoint.secret)}`);
    out(`Temporary endpoint ${String(endpoint.id)} on 127.0.0.1:${bound}; Ctrl-C removes it.`);

    return new Promise<number>((resolve) => {
      const stop = async (): Promise<void> => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        receiver.close();
        receiver.closeAllConnections();
        try {
          await callApi(target, "DELETE", `/v1/webhook_endpoints/${String(endpoint.id)}`);
          out(`Removed endpoint ${String(endpoint.id)}.`);
          resolve(0);
        } catch (err) {
          process.stderr.write(
            `wth listen: could not remove endpoint ${String(endpoint.id)}: ${(err as Error).message}\n`,
          );
          resolve(1);
        }
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  },
};
