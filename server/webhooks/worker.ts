import os from "node:os";
import type { Logger } from "pino";
import { type Clock, type Random, systemTimers, type Timers } from "../deps.ts";
import type { OutboxBell } from "../events/outbox-bell.ts";
import { base62 } from "../ids.ts";
import { originOf } from "./origin.ts";
import { nextRetry, parseRetryAfter } from "./retry-schedule.ts";
import { SecretBox, secretKey } from "./secret.ts";
import { type AttemptOutcome, WebhookSender } from "./sender.ts";
import type { WebhookSettings } from "./settings.ts";
import { signedHeaders } from "./signature.ts";
import {
  type AttemptRecord,
  type ClaimedDelivery,
  type EndpointTarget,
  iso,
  type PassResult,
  type PassStore,
} from "./store.ts";

export interface WorkerDeps {
  /** Where passes run; the worker closes it when it stops. */
  store: PassStore;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** WTH_SECRET_KEY: opens the endpoint secrets. Never logged. */
  secretKey: Buffer | string;
  settings: WebhookSettings;
  /** Rung when a write in this process may have recorded an event: look at once. */
  bell?: OutboxBell;
  /** The loop's sleeps; real timers unless a test steps them. */
  timers?: Timers;
}

const FLUSH_BATCH = 64;
const KEY_CACHE_MAX = 1_000;

/**
 * The delivery worker: a single loop that fans new events out into deliveries, leases due
 * deliveries up to its concurrency, sends them (each attempt signed afresh), and writes the
 * finished attempts back in batches. Several workers — in one process or many — may share a
 * database; the lease and the attempt-number key keep them from sending one attempt twice.
 */
export class DeliveryWorker {
  readonly id: string;
  readonly #deps: WorkerDeps;
  readonly #sender: WebhookSender;
  readonly #box: SecretBox;
  readonly #keys = new Map<string, Buffer>();
  readonly #inFlight = new Set<Promise<void>>();
  /**
   * Attempts taken or in flight per origin. A pass takes no more for an origin at
   * `inFlightPerOrigin`, so a receiver that never answers holds that many of the worker's slots
   * at most and the others keep going to everyone else.
   */
  readonly #perOrigin = new Map<string, number>();
  /** Deliveries the last pass took, started once the next pass is under way (see #pass). */
  #taken: Array<{ delivery: ClaimedDelivery; target: EndpointTarget | undefined }> = [];
  #finished: AttemptRecord[] = [];
  #running: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;
  /** The bell rang since the last pass began: pass again without sleeping. */
  #rung = false;
  #unsubscribe: (() => void) | null = null;

  constructor(deps: WorkerDeps) {
    this.#deps = deps;
    this.id = `wkr_${os.hostname()}_${process.pid}_${base62(deps.random, 8)}`;
    this.#sender = new WebhookSender({
      timeoutMs: deps.settings.timeoutMs,
      maxResponseBytes: deps.settings.maxResponseBytes,
      connectionsPerOrigin: deps.settings.connectionsPerOrigin,
      allowPrivate: deps.settings.allowPrivate,
    });
    this.#box = new SecretBox(deps.secretKey, deps.random);
  }

  start(): void {
    if (this.#running !== null) return;
    this.#unsubscribe =
      this.#deps.bell?.subscribe(() => {
        this.#rung = true;
        this.#wake?.();
      }) ?? null;
    this.#running = this.#loop().catch((err: unknown) => {
      this.#deps.logger.error({ err, worker: this.id }, "webhook worker stopped on an error");
    });
  }

  /** Resolves once the store can run passes (its thread has opened its connection). */
  async storeReady(): Promise<void> {
    await this.#deps.store.ready?.();
  }

  /** Finishes the attempts in flight (bounded by the attempt timeout), records them, stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#unsubscribe?.();
    this.#wake?.();
    await this.#running;
    await this.#sender.close();
    await this.#deps.store.close();
  }

  /** Runs one pass without the loop (tests drive the schedule step by step with it). */
  async runOnce(): Promise<{ fannedOut: number; claimed: number }> {
    const { fanned, claimed } = await this.#pass(this.#free());
    this.#startTaken();
    await Promise.all(this.#inFlight);
    await this.#pass(0);
    return { fannedOut: fanned, claimed };
  }

  async #loop(): Promise<void> {
    const { settings, logger } = this.#deps;
    logger.info({ worker: this.id }, "webhook worker started");
    // Each pass is one transaction (one commit): the finished attempts are recorded, and free
    // slots are filled with due deliveries (retries, replays, any left unleased), then with new
    // events, fanned out already leased to this worker. A pass runs when half the slots are
    // free, when a batch of results waits, or once per poll period. Due deliveries are looked
    // for once per poll period, or at once again while the last look found more than it had
    // room for; new events on every pass with room, at once again while there were more.
    let lastClaim = Number.NEGATIVE_INFINITY;
    let moreDue = false;
    let moreEvents = false;
    const refillAt = Math.max(1, Math.floor(settings.concurrency / 2));
    // Idle back-off: each pass that finds nothing, with nothing in flight, doubles the sleep up
    // to idleMaxMs; any work, or the bell, brings it back to pollMs.
    let sleepMs = settings.pollMs;
    while (!this.#stopping) {
      const rung = this.#rung;
      this.#rung = false;
      try {
        const claimDue: boolean =
          rung || moreDue || performance.now() - lastClaim >= settings.pollMs;
        const room = this.#free();
        const limit: number = claimDue || moreEvents || room >= refillAt ? room : 0;
        if (claimDue) lastClaim = performance.now();
        const pass = await this.#pass(limit, claimDue);
        if (limit > 0) {
          moreDue = pass.moreDue;
          moreEvents = pass.moreEvents;
        }
        const idle =
          pass.fanned === 0 &&
          pass.claimed === 0 &&
          this.#inFlight.size === 0 &&
          this.#taken.length === 0;
        sleepMs = idle && !rung ? Math.min(settings.idleMaxMs, sleepMs * 2) : settings.pollMs;
      } catch (err) {
        // A locked or briefly unavailable database must not end the worker; try again shortly.
        logger.error({ err, worker: this.id }, "webhook worker pass failed");
        moreDue = false;
        moreEvents = false;
      }
      if (((moreDue || moreEvents) && this.#free() > 0) || this.#rung) {
        await new Promise((r) => setImmediate(r));
      } else {
        this.#startTaken();
        await this.#sleep(this.#inFlight.size > 0 ? settings.pollMs : sleepMs);
      }
    }
    this.#startTaken();
    await Promise.all(this.#inFlight);
    await this.#pass(0);
    logger.info({ worker: this.id }, "webhook worker stopped");
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let cancel = (): void => {};
      const done = (): void => {
        cancel();
        resolve();
      };
      cancel = (this.#deps.timers ?? systemTimers).set(ms, done);
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }

  /** Slots neither in flight nor taken. */
  #free(): number {
    return this.#deps.settings.concurrency - this.#inFlight.size - this.#taken.length;
  }

  /**
   * One pass of the store (see runPass). What the previous pass took is started only once this
   * one has been sent to the store: on the store thread the pass then runs while they are
   * signed and sent, instead of that thread waiting for them.
   */
  async #pass(
    limit: number,
    claimDue = true,
  ): Promise<{ fanned: number; claimed: number; moreDue: boolean; moreEvents: boolean }> {
    const { clock, settings } = this.#deps;
    const records = this.#finished;
    const nothing = { fanned: 0, claimed: 0, moreDue: false, moreEvents: false };
    if (records.length === 0 && limit <= 0) {
      this.#startTaken();
      return nothing;
    }
    this.#finished = [];
    let result: PassResult;
    try {
      const passing = this.#deps.store.pass({
        workerId: this.id,
        now: clock.now().getTime(),
        leaseMs: settings.leaseMs,
        records,
        limit,
        claimDue,
        origins: { limit: settings.inFlightPerOrigin, inFlight: [...this.#perOrigin] },
        checkBodies: settings.checkBodies,
      });
      this.#startTaken();
      result = await passing;
    } catch (err) {
      // Keep the results for the next pass; if this process dies first, the leases expire and
      // the attempts are made again (at least once).
      this.#finished = records.concat(this.#finished);
      throw err;
    }
    const targets = new Map(result.targets.map((t) => [t.id, t]));
    this.#taken = result.claimed.map((delivery) => {
      const target = targets.get(delivery.endpoint_id);
      if (target !== undefined) this.#countOrigin(originOf(target.url), 1);
      return { delivery, target };
    });
    return {
      fanned: result.fanned,
      claimed: result.claimed.length,
      moreDue: result.moreDue,
      moreEvents: result.moreEvents,
    };
  }

  #countOrigin(origin: string, delta: number): void {
    const n = (this.#perOrigin.get(origin) ?? 0) + delta;
    if (n > 0) this.#perOrigin.set(origin, n);
    else this.#perOrigin.delete(origin);
  }

  #startTaken(): void {
    const { settings } = this.#deps;
    const taken = this.#taken;
    this.#taken = [];
    for (const { delivery, target } of taken) {
      const task = this.#attempt(delivery, target).finally(() => {
        this.#inFlight.delete(task);
        if (target !== undefined) this.#countOrigin(originOf(target.url), -1);
        // Wake the loop to record results and refill once half the slots are free (or a
        // batch of results waits); otherwise the poll period batches them.
        if (
          this.#inFlight.size <= settings.concurrency / 2 ||
          this.#finished.length >= FLUSH_BATCH
        ) {
          this.#wake?.();
        }
      });
      this.#inFlight.add(task);
    }
  }

  async #attempt(delivery: ClaimedDelivery, target: EndpointTarget | undefined): Promise<void> {
    const { clock } = this.#deps;
    const attemptedAt = iso(clock.now());
    let outcome: AttemptOutcome;
    if (target === undefined) {
      // The endpoint was deleted between claim and send.
      outcome = {
        ok: false,
        statusCode: null,
        durationMs: 0,
        error: "connection_error",
        snippet: "webhook endpoint was deleted",
        retryAfter: null,
      };
    } else {
      const body = Buffer.from(delivery.body, "utf8");
      const now = clock.now();
      const headers = signedHeaders(
        this.#signingKeys(target, now),
        delivery.event_id,
        Math.floor(now.getTime() / 1000),
        body,
      );
      outcome = await this.#sender.send({ url: target.url, headers: { ...headers }, body });
    }
    this.#finished.push(this.#decide(delivery, attemptedAt, outcome));
  }

  /** The current key, and the previous one while its rotation overlap lasts. */
  #signingKeys(target: EndpointTarget, now: Date): Buffer[] {
    const keys = [this.#key(target.secret_sealed, target.id)];
    if (
      target.previous_secret_sealed !== null &&
      target.previous_secret_expires_at !== null &&
      target.previous_secret_expires_at > iso(now)
    ) {
      keys.push(this.#key(target.previous_secret_sealed, target.id));
    }
    return keys;
  }

  #key(sealed: string, endpointId: string): Buffer {
    let key = this.#keys.get(sealed);
    if (key === undefined) {
      if (this.#keys.size >= KEY_CACHE_MAX) this.#keys.clear();
      key = secretKey(this.#box.open(sealed, endpointId));
      this.#keys.set(sealed, key);
    }
    return key;
  }

  #decide(delivery: ClaimedDelivery, attemptedAt: string, outcome: AttemptOutcome): AttemptRecord {
    const { clock, random, settings } = this.#deps;
    const now = clock.now();
    const base = {
      deliveryId: delivery.id,
      attemptNumber: delivery.attempt_number,
      attemptedAt,
      completedAt: iso(now),
      statusCode: outcome.statusCode,
      durationMs: outcome.durationMs,
      error: outcome.error,
      snippet: outcome.snippet,
      disableEndpointId: null,
    };
    if (outcome.ok) return { ...base, next: { status: "succeeded", nextAttemptAt: null } };
    if (outcome.statusCode === 410) {
      return {
        ...base,
        next: { status: "dead_lettered", nextAttemptAt: null },
        disableEndpointId: delivery.endpoint_id,
      };
    }
    const retryAfterMs = parseRetryAfter(outcome.retryAfter ?? undefined, now);
    const decision = nextRetry(settings.retry, delivery.attempt_in_cycle, random, retryAfterMs);
    if (decision.kind === "dead_letter") {
      return { ...base, next: { status: "dead_lettered", nextAttemptAt: null } };
    }
    return {
      ...base,
      next: { status: "retrying", nextAttemptAt: iso(new Date(now.getTime() + decision.delayMs)) },
    };
  }
}
