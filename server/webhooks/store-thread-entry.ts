/** The store thread (see store-thread.ts): passes, one at a time, on this thread's connection. */
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../db/connection.ts";
import { systemRandom } from "../deps.ts";
import { type PassInput, runPass } from "./store.ts";
import type { StoreThreadData, StoreThreadReply } from "./store-thread.ts";
import type { WebhookDb } from "./tables.ts";

const port = parentPort;
if (port === null) throw new Error("store-thread-entry.ts runs as a worker thread only");
const { location } = workerData as StoreThreadData;
const handle = openDatabase(location);
const db = handle.db as WebhookDb;
port.postMessage({ ready: true } satisfies StoreThreadReply);

let queue: Promise<void> = Promise.resolve();
port.on("message", (m: { n: number; input: PassInput } | { close: true }) => {
  queue = queue.then(async () => {
    if ("close" in m) {
      await handle.close();
      port.close();
      return;
    }
    let reply: StoreThreadReply;
    try {
      reply = { n: m.n, result: await runPass(db, systemRandom, m.input) };
    } catch (err) {
      const e = err as { message?: unknown; code?: unknown };
      reply = {
        n: m.n,
        error: {
          message: String(e.message ?? err),
          ...(typeof e.code === "string" ? { code: e.code } : {}),
        },
      };
    }
    port.postMessage(reply);
  });
});
