import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { DatabaseLocation } from "../db/connection.ts";
import { alertUnrendered } from "./conversion-alert.ts";
import type { PassInput, PassResult, PassStore } from "./store.ts";

/** What the thread answers: a pass's result or its error, by request number. */
export type StoreThreadReply =
  | { ready: true }
  | { n: number; result: PassResult }
  | { n: number; error: { message: string; code?: string } };

export interface StoreThreadData {
  location: DatabaseLocation;
}

/**
 * Runs a worker's passes on a thread of their own, with its own connection to the same
 * database. SQLite calls block the thread that makes them, so on the worker's thread every pass
 * stalled the sending and receiving of the attempts in flight; on its own thread it overlaps
 * with them. A pass's input and result are plain values (bodies included), copied across.
 *
 * If the thread dies, the passes waiting on it fail (the worker retries them) and the next pass
 * starts a new thread; leases keep the deliveries of a lost pass safe as they do for a crash.
 */
export class StoreThread implements PassStore {
  readonly #data: StoreThreadData;
  readonly #logger: Logger;
  readonly #waiting = new Map<number, { resolve(r: PassResult): void; reject(e: Error): void }>();
  #thread: Worker | null = null;
  #ready: Promise<void> = Promise.resolve();
  #next = 0;
  #closing: Promise<void> | null = null;

  /** Starts the thread at once: loading it takes a moment better spent before the first pass. */
  constructor(location: DatabaseLocation, logger: Logger) {
    this.#data = { location };
    this.#logger = logger;
    this.#start();
  }

  /** Resolves once the thread has opened its connection (or has failed to start). */
  ready(): Promise<void> {
    return this.#ready;
  }

  pass(input: PassInput): Promise<PassResult> {
    if (this.#closing !== null) return Promise.reject(new Error("the store thread is closed"));
    const thread = this.#thread ?? this.#start();
    const n = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(n, { resolve, reject });
      thread.postMessage({ n, input });
    });
  }

  /** Lets the passes sent finish, closes the thread's connection, and ends the thread. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const thread = this.#thread;
      if (thread === null) return;
      const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
      thread.postMessage({ close: true });
      await exited;
    })();
    return this.#closing;
  }

  #start(): Worker {
    const thread = new Worker(new URL("./store-thread-boot.mjs", import.meta.url), {
      workerData: this.#data,
    });
    let ready = () => {};
    this.#ready = new Promise<void>((resolve) => {
      ready = resolve;
    });
    thread.on("message", (reply: StoreThreadReply) => {
      if ("ready" in reply) return ready();
      const waiter = this.#waiting.get(reply.n);
      if (waiter === undefined) return;
      this.#waiting.delete(reply.n);
      if ("result" in reply) {
        alertUnrendered(this.#logger, reply.result.unrendered);
        waiter.resolve(reply.result);
      } else
        waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    thread.on("error", (err) => {
      this.#logger.error({ err }, "webhook store thread failed");
    });
    thread.on("exit", (code) => {
      ready();
      if (this.#thread === thread) this.#thread = null;
      const lost = new Error(`the webhook store thread exited (code ${code})`);
      for (const waiter of this.#waiting.values()) waiter.reject(lost);
      this.#waiting.clear();
    });
    this.#thread = thread;
    return thread;
  }
}
