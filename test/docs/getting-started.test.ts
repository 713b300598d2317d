/**
 * docs/getting-started.md, run as written: its first command is the server (started here as
 * `wth serve`, which `npm start` runs, on a random port), every other shell block runs in order
 * in one bash session, the receiver it shows is saved and run, and the webhook it triggers must
 * arrive verified. Only the ports change (3000 and 4000 may be taken on a shared machine).
 */

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Lexer, type Tokens } from "marked";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiServer,
  cleanEnv,
  REPO_ROOT,
  run,
  startApiServer,
} from "../client/helpers/processes.ts";
import { createEmptyTestDatabase, type TestDatabase } from "../support/database.ts";

const GUIDE = path.join(REPO_ROOT, "docs/getting-started.md");
const START_COMMAND = "WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1 npm start";
const RECEIVER_COMMAND = "node receiver.mjs";

let work: string;
let server: ApiServer | undefined;
let database: TestDatabase | undefined;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "wth-getting-started-"));
  database = await createEmptyTestDatabase({ dir: path.join(work, "data") });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("the getting-started guide", () => {
  it("when every command runs in order, then the listing is created and the webhook arrives verified", async () => {
    const blocks = new Lexer()
      .lex(await readFile(GUIDE, "utf8"))
      .filter((token): token is Tokens.Code => token.type === "code");
    const [start, ...rest] = blocks;
    expect(start?.lang).toBe("sh");
    expect(start?.text).toBe(START_COMMAND);

    server = await startApiServer(path.join(work, "data"), {
      ...database?.env,
      WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
    });
    const receiverPort = String(await freePort());
    const local = (text: string): string =>
      text
        .replaceAll("http://localhost:3000", server?.baseUrl ?? "")
        .replaceAll("4000", receiverPort);

    const script = [
      "set -euo pipefail",
      "RECEIVER=",
      "trap 'kill $RECEIVER 2>/dev/null || true' EXIT",
    ];
    let sawReceiver = false;
    for (const block of rest) {
      const [lang, file] = (block.lang ?? "").split(/\s+/);
      if (file !== undefined) {
        await writeFile(path.join(work, file), local(block.text));
        continue;
      }
      expect(lang, `a code block without a language in ${GUIDE}`).toBe("sh");
      if (block.text === RECEIVER_COMMAND) {
        sawReceiver = true;
        // Test glue: run it in the background, from where the guide had it saved, until ready.
        script.push(
          `(cd "${work}" && ${block.text}) > "${work}/receiver.log" 2>&1 & RECEIVER=$!`,
          `for _ in $(seq 100); do grep -q listening "${work}/receiver.log" && break; sleep 0.1; done`,
        );
        continue;
      }
      script.push(local(block.text));
    }
    expect(sawReceiver).toBe(true);
    script.push(
      `for _ in $(seq 100); do grep -q verified "${work}/receiver.log" && break; sleep 0.1; done`,
    );

    const session = await run("bash", ["-c", script.join("\n")], {
      cwd: REPO_ROOT,
      env: cleanEnv({ ...database?.env }),
    });
    expect(session.code, session.stderr).toBe(0);
    // The first request and the new listing, as the two curl commands print them.
    expect(session.stdout).toMatch(/"object":"integration"[^\n]*"api_version":"2026-05-07"/);
    expect(session.stdout).toMatch(/"object":"listing"[^\n]*"status":"draft"/);
    const received = await readFile(path.join(work, "receiver.log"), "utf8");
    expect(received).toMatch(
      /^listening on http:\/\/localhost:\d+\/hooks\nverified listing\.created evt_\w+ \(api_version 2026-05-07\)\n/,
    );
    expect(received).not.toContain("rejected");
  }, 120_000);
});
