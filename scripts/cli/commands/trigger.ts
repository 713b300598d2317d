import { parseArgs } from "node:util";
import { apiTarget, callApi } from "../api-client.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth trigger <event type> [--json]

Fires a test event of that type (with a sample object) to your integration's webhook endpoints,
through the test utilities (POST /v1/test/events); test-mode keys only.
Environment: WTH_API_KEY (your key), WTH_BASE_URL (default http://localhost:3000).
Example: WTH_API_KEY=wth_test_… wth trigger order.paid
`;

export const command: Command = {
  summary: "fire a test event of a type to your webhook endpoints (test mode)",
  async run(args, cli) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (err) {
      process.stderr.write(`wth trigger: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (parsed.values.help === true) {
      process.stdout.write(USAGE);
      return 0;
    }
    const [type, ...extra] = parsed.positionals;
    if (type === undefined || extra.length > 0) {
      process.stderr.write(`wth trigger: give exactly one event type\n\n${USAGE}`);
      return 2;
    }
    const event = await callApi(apiTarget(cli.api), "POST", "/v1/test/events", { type });
    if (parsed.values.json === true) process.stdout.write(`${JSON.stringify(event)}\n`);
    else process.stdout.write(`Triggered ${String(event.type)}: ${String(event.id)}\n`);
    return 0;
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
}
