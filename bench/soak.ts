/**
 * `npm run bench -- soak [--minutes M] [--rate R]` (not a CI test; 10 minutes by default)
 *
 * The server and its embedded delivery worker run in this process, as `npm start` runs them
 * (SQLite in a temp dir, 127.0.0.1, random port). Two processes of their own: a faulty webhook
 * receiver (bench/soak/receiver.ts: 204, 500, 410, timeouts, slow bodies, resets, and a flaky mix)
 * and a steady mixed load of R requests/s (bench/soak/load.ts), which creates one endpoint per
 * fault, every endpoint subscribed to every event type. Retries are shortened
 * (WTH_WEBHOOK_RETRY_SCHEDULE=0,1,2, 2 s deadline) so that failing deliveries reach the
 * dead-letter state within the run instead of days later.
 *
 * Figures taken at the start (after a warm-up of a fifth of the run), the middle and the end of
 * the load: RSS, the live JS heap after a full collection, active handles and resources, open file
 * descriptors (see bench/soak/fds.ts), event-loop delay p99 (over the window before each point),
 * database size and deliveries pending. Each is printed with its end/start and middle/start ratios and judged flat or
 * not. Then the load stops, the worker drains, and every event is accounted for: fanned out to
 * every endpoint enabled at the time, each delivery succeeded or dead-lettered, every success seen
 * by the receiver. Once the load's and the worker's connections have closed, the process must hold
 * exactly the descriptors it held before the load began. Exit code 1 if anything is not flat or
 * any event is lost.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pino from "pino";
import { openSqlite } from "../server/db/connection.ts";
import { migrateToLatest } from "../server/db/migrate.ts";
import { systemClock, systemRandom } from "../server/deps.ts";
import { createIntegration } from "../server/integrations.ts";
import { startServer } from "../server/main.ts";
import { repoRoot } from "../server/versions/registry.ts";
import type { WebhookDb } from "../server/webhooks/tables.ts";
import { stopChild } from "./server/measure.ts";
import {
  countFds,
  fdKindChanges,
  fixedFdKinds,
  handleKinds,
  quietFixedFds,
  steadyFixedFds,
  steadyFixedHandles,
} from "./soak/fds.ts";
import { liveHeapMb } from "./webhooks.ts";

const PATHS = ["/ok", "/error", "/gone", "/timeout", "/slow", "/reset", "/flaky"] as const;
/**
 * Every endpoint takes every event, so each origin that never answers (/timeout, /slow, a sixth of
 * /flaky) needs rate × attempts × deadline attempts in flight to keep up: about 6.5 events/s × 3
 * × 2 s ≈ 40 at 10 requests/s. WTH_WEBHOOK_IN_FLIGHT_PER_ORIGIN (here its default, twice the
 * connections: 64) lets each have that much and no more, so the two of them hold at most 128 of
 * the worker's 256 slots and the healthy endpoints keep the rest. With a cap below the need (or
 * the old 5 s deadline), a never-answering endpoint falls behind by design, and pending grows.
 */
const CONNECTIONS_PER_ORIGIN = 32;
const DEADLINE_MS = 2_000;
/** Endpoints that stay enabled all run: every event must reach each of them. */
const ALWAYS_ON = PATHS.filter((p) => p !== "/gone");
/** Endpoints whose every delivery must end dead-lettered after all its attempts. */
const ALWAYS_FAIL = ["/error", "/timeout", "/slow", "/reset"];
const RETRY_SCHEDULE = "0,1,2";
const ATTEMPTS = RETRY_SCHEDULE.split(",").length;

interface Sample {
  label: string;
  at: number;
  rssMb: number;
  heapMb: number;
  handles: number;
  /** Handles other than sockets and timers, least of a few readings (must not move). */
  fixedHandles: number;
  fds: number;
  /** Descriptors other than TCP connections, least of a few readings (must not move). */
  fixedFds: number;
  /** TCP connections: the traffic. */
  tcpFds: number;
  /** Most connections to any one receiver origin (bounded by the pool). */
  maxPerOrigin: number;
  loopP99Ms: number;
  dbMb: number;
  events: number;
  pending: number;
}

interface LoadReport {
  sent: number;
  late: number;
  byStatus: Record<string, number>;
  writes: number;
  networkErrors: number;
  resetsRetried: number;
  serverErrors: string[];
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (line: string) => process.stdout.write(`${line}\n`);

function dbBytes(dir: string): number {
  let total = 0;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith("wth.sqlite")) total += fs.statSync(path.join(dir, name)).size;
  }
  return total;
}

function spawnTs(file: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, file), ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

function nextMessage<T>(child: ChildProcess, key: string, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${what} exited with ${code}`));
    const onMessage = (m: Record<string, unknown>) => {
      if (!(key in m)) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(m[key] as T);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      minutes: { type: "string", default: "10" },
      rate: { type: "string", default: "10" },
    },
  });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  if (!(minutes > 0) || !(rate > 0)) throw new Error("soak: --minutes and --rate must be > 0");
  const loadMs = minutes * 60_000;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wth-bench-soak-"));
  const file = path.join(dir, "wth.sqlite");
  const children: ChildProcess[] = [];
  // The server reads its settings from the environment, as `npm start` does.
  Object.assign(process.env, {
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dir,
    WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
    WTH_WEBHOOK_RETRY_SCHEDULE: RETRY_SCHEDULE,
    WTH_WEBHOOK_TIMEOUT_MS: String(DEADLINE_MS),
    WTH_WEBHOOK_CONNECTIONS: String(CONNECTIONS_PER_ORIGIN),
    WTH_RATE_LIMIT_PER_SECOND: String(Math.max(100, rate * 4)),
    WTH_RATE_LIMIT_BURST: String(Math.max(200, rate * 8)),
  });

  // The integration exists before the server starts, so no demo key is involved.
  const setup = openSqlite(file);
  await migrateToLatest(setup.db);
  const { integration, apiKey } = await createIntegration(
    { db: setup.db, clock: systemClock, random: systemRandom },
    { name: "soak", mode: "test", apiVersion: "2026-05-07" },
  );
  await setup.close();

  const server = await startServer({ logger: pino({ level: "warn" }), announce: () => {} });
  // A reader of its own for the figures; opened before the first sample so it counts throughout.
  const reader = openSqlite(file);
  const db = reader.db as WebhookDb;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let rssPeak = 0;
  const peakTimer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 1000);

  try {
    const receiver = spawnTs("bench/soak/receiver.ts", []);
    children.push(receiver);
    const ports = await nextMessage<Record<string, number>>(receiver, "ports", "the receiver");
    // Before the load: the server, its worker and store thread, the reader and the receiver's IPC
    // channel are open, and no connection is. The same count must come back once the load is
    // gone and every connection has closed.
    await server.workerReady();
    const beforeFixed = await quietFixedFds();
    const before = countFds();
    const beforeHandles = await steadyFixedHandles();
    const beforeHandleKinds = handleKinds();
    const beforeKinds = fixedFdKinds();
    const load = spawnTs("bench/soak/load.ts", [
      JSON.stringify({
        baseUrl: `http://127.0.0.1:${server.port}`,
        key: apiKey,
        rate,
        endpoints: Object.fromEntries(
          PATHS.map((p) => [p, { url: `http://127.0.0.1:${ports[p]}${p}`, events: ["*"] }]),
        ),
      }),
    ]);
    children.push(load);
    const endpoints = await nextMessage<Record<string, string>>(load, "endpoints", "the load");
    const started = Date.now();
    out(
      `soak bench: ${minutes} min at ${rate} requests/s (mixed writes and reads), receiver faults ${PATHS.join(" ")}, retries ${RETRY_SCHEDULE} s, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)} at start`,
    );

    const pendingCount = async (): Promise<number> => {
      const row = await db
        .selectFrom("webhook_deliveries")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "in", ["pending", "retrying"])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const eventCount = async (): Promise<number> => {
      const row = await db
        .selectFrom("events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("integration_id", "=", integration.id)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const samples: Sample[] = [];
    const sample = async (label: string): Promise<Sample> => {
      const loopP99Ms = loop.percentile(99) / 1e6;
      const fds = countFds();
      const s: Sample = {
        label,
        at: (Date.now() - started) / 60_000,
        rssMb: process.memoryUsage().rss / 2 ** 20,
        heapMb: liveHeapMb(),
        handles: process.getActiveResourcesInfo().length,
        fixedHandles: await steadyFixedHandles(),
        fds: fds.total,
        fixedFds: await steadyFixedFds(),
        tcpFds: fds.tcpConnections,
        maxPerOrigin: Math.max(
          0,
          ...Object.values(ports).map((port) => fds.byRemotePort.get(port) ?? 0),
        ),
        loopP99Ms,
        dbMb: dbBytes(dir) / 2 ** 20,
        events: await eventCount(),
        pending: await pendingCount(),
      };
      out(`         handles: ${handleKinds()}`);
      // After the full collection, so its pause does not count against the next window.
      loop.reset();
      samples.push(s);
      out(
        `  ${label.padEnd(6)} ${s.at.toFixed(1).padStart(5)} min  RSS ${s.rssMb.toFixed(0)} MB  heap ${s.heapMb.toFixed(1)} MB  handles ${s.handles} (${s.fixedHandles} fixed)  fds ${s.fds} (${s.fixedFds} fixed, ${s.tcpFds} TCP, ≤ ${s.maxPerOrigin} per receiver)  loop p99 ${s.loopP99Ms.toFixed(1)} ms  db ${s.dbMb.toFixed(1)} MB (${s.events} events)  pending ${s.pending}`,
      );
      return s;
    };

    const waitUntil = async (ms: number) => {
      const wait = started + ms - Date.now();
      if (wait > 0) await sleep(wait);
    };
    // The first minutes fill the retry pipeline (a failing delivery lives ~20 s); "start" is
    // taken once it is full.
    await waitUntil(loadMs * 0.2);
    const start = await sample("start");
    await waitUntil(loadMs * 0.5);
    const middle = await sample("middle");
    await waitUntil(loadMs);
    const end = await sample("end");

    load.send({ stop: true });
    const report = await nextMessage<LoadReport>(load, "done", "the load");
    const statuses = Object.entries(report.byStatus)
      .map(([s, n]) => `${s}×${n}`)
      .join(" ");
    out(
      `  load   ${report.sent} requests in ${report.seconds.toFixed(0)} s (${(report.sent / report.seconds).toFixed(1)}/s, ${report.late} late), ${report.writes} writes; ${statuses}; network errors ${report.networkErrors} (${report.resetsRetried} resets of a reused connection sent again)`,
    );

    // Drain: every failing delivery needs its last retry; the schedule is seconds long. The 410
    // endpoint disables itself and its deliveries wait (not lost) until it is enabled again, as
    // the load did every 10 s; so does the drain.
    const drainStarted = Date.now();
    const enableGone = () =>
      fetch(`http://127.0.0.1:${server.port}/v1/webhook_endpoints/${endpoints["/gone"]}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ status: "enabled" }),
      }).then((r) => r.text());
    while ((await pendingCount()) > 0 && Date.now() - drainStarted < 180_000) {
      await enableGone();
      await sleep(2000);
    }
    const drained = await pendingCount();
    out(
      `  drain  ${((Date.now() - drainStarted) / 1000).toFixed(1)} s after the load stopped, ${drained} deliveries still pending`,
    );

    // Settle: the load has reported and ends; the pools close idle connections after the
    // receivers' keep-alive (30 s), the server the load's after its own (5 s). Then nothing but
    // what was open before the load may remain.
    await stopChild(load);
    const settleStarted = Date.now();
    let settled = countFds();
    while (settled.tcpConnections > 0 && Date.now() - settleStarted < 90_000) {
      await sleep(1000);
      settled = countFds();
    }
    const settledFixed = await steadyFixedFds();
    const settledKinds = fixedFdKinds();
    const settledHandles = await steadyFixedHandles();
    out(
      `  settle ${((Date.now() - settleStarted) / 1000).toFixed(1)} s: fds ${settled.total} (${settledFixed} fixed, ${settled.tcpConnections} TCP); before the load ${before.total} (${beforeFixed} fixed, ${before.tcpConnections} TCP); handles ${handleKinds()}, before the load ${beforeHandleKinds}`,
    );

    // Accounting: every event reached every always-on endpoint subscribed to it once, and ended
    // terminal.
    const problems: string[] = [];
    /** Worth knowing, not a failure: what a busy machine does to deadlines. */
    const notes: string[] = [];
    const events = await eventCount();
    // Every endpoint subscribes to every event type.
    const expectedFor = (_p: string): number => events;
    const byEndpoint = await db
      .selectFrom("webhook_deliveries")
      .select(["endpoint_id", "status"])
      .select((eb) => [
        eb.fn.countAll<number>().as("n"),
        eb.fn.count<number>("event_id").distinct().as("distinct_events"),
        eb.fn.min<number>("attempt_count").as("min_attempts"),
      ])
      .where("integration_id", "=", integration.id)
      .groupBy(["endpoint_id", "status"])
      .execute();
    const pathOf = new Map(Object.entries(endpoints).map(([p, id]) => [id, p]));
    const tally = new Map<string, Record<string, number>>();
    for (const row of byEndpoint) {
      const p = pathOf.get(row.endpoint_id) ?? row.endpoint_id;
      const t = tally.get(p) ?? {};
      t[row.status] = (t[row.status] ?? 0) + Number(row.n);
      tally.set(p, t);
      if (ALWAYS_FAIL.includes(p) && row.status === "dead_lettered") {
        if (Number(row.min_attempts) < ATTEMPTS) {
          problems.push(`${p}: a dead letter after fewer than ${ATTEMPTS} attempts`);
        }
      }
    }
    if (events < report.writes) {
      problems.push(`${events} events recorded for ${report.writes} successful writes`);
    }
    for (const p of PATHS) {
      const t = tally.get(p) ?? {};
      const total = Object.values(t).reduce((s, n) => s + n, 0);
      out(
        `  ${p.padEnd(9)} ${total} deliveries: ${Object.entries(t)
          .map(([s, n]) => `${s} ${n}`)
          .join(", ")}`,
      );
      if (ALWAYS_ON.includes(p as (typeof ALWAYS_ON)[number]) && total !== expectedFor(p)) {
        problems.push(`${p}: ${total} deliveries for ${expectedFor(p)} events it subscribes to`);
      }
      const open = (t.pending ?? 0) + (t.retrying ?? 0);
      if (open > 0) problems.push(`${p}: ${open} deliveries neither delivered nor dead-lettered`);
      if (p === "/ok" && (t.dead_lettered ?? 0) > 0) {
        // Not lost, and not the receiver's fault: its 204s came after the deadline, 3 times.
        notes.push(`/ok: ${t.dead_lettered} dead letters, each after 3 attempts past the deadline`);
      }
      if (ALWAYS_FAIL.includes(p) && (t.succeeded ?? 0) > 0) {
        problems.push(`${p}: ${t.succeeded} successes from a receiver that never succeeds`);
      }
    }
    // Every success the database records, the receiver answered 2xx to (and nothing else).
    receiver.send({ report: true });
    const seen = await nextMessage<Record<string, string[]>>(receiver, "accepted", "the receiver");
    for (const p of ["/ok", "/flaky"]) {
      const got = new Set(seen[p] ?? []);
      const succeeded = await db
        .selectFrom("webhook_deliveries")
        .select("event_id")
        .where("endpoint_id", "=", endpoints[p] ?? "")
        .where("status", "=", "succeeded")
        .execute();
      const missing = succeeded.filter((r) => !got.has(r.event_id)).length;
      if (missing > 0) problems.push(`${p}: ${missing} successes the receiver never acknowledged`);
      const recorded = new Set(succeeded.map((r) => r.event_id));
      const unrecorded = [...got].filter((id) => !recorded.has(id)).length;
      // A 2xx that arrives after the deadline is a failed attempt (at-least-once: it is retried).
      if (unrecorded > 0) {
        notes.push(`${p}: ${unrecorded} events answered 2xx too late, recorded as failed attempts`);
      }
    }
    if (report.networkErrors > 0 || report.serverErrors.length > 0) {
      problems.push(`load saw failures: ${report.serverErrors.slice(0, 3).join("; ")}`);
    }

    // Flatness: end and middle against the start.
    const ratio = (a: number, b: number) =>
      b === 0 ? (a === 0 ? 1 : Number.POSITIVE_INFINITY) : a / b;
    const figures: Array<{
      name: string;
      pick: (s: Sample) => number;
      flat: (s: Sample) => boolean;
    }> = [
      { name: "RSS", pick: (s) => s.rssMb, flat: (s) => s.rssMb <= start.rssMb * 1.25 + 16 },
      { name: "live heap", pick: (s) => s.heapMb, flat: (s) => s.heapMb <= start.heapMb * 1.2 + 4 },
      // Sockets and timers of attempts in flight: they follow the pipeline, so some slack.
      // Handles follow the traffic too (a socket and a deadline timer per attempt in flight, up
      // to 64 per never-answering origin): the rest must not move, and all are back after it.
      {
        name: "fixed handles",
        pick: (s) => s.fixedHandles,
        flat: (s) => s.fixedHandles === start.fixedHandles,
      },
      // The total counted every descriptor at one instant, and most are TCP connections that
      // follow the traffic (an earlier run "failed" by one: a connection open at the end and not
      // at the start). So each kind is judged on its own: the fixed ones must not move by even
      // one, the connections to each receiver stay within its pool, and once the traffic is over
      // the count must be back to what it was before the load (see the settle check below).
      {
        name: "fixed fds",
        pick: (s) => s.fixedFds,
        flat: (s) => s.fixedFds === start.fixedFds,
      },
      {
        name: "fds per origin",
        pick: (s) => s.maxPerOrigin,
        flat: (s) => s.maxPerOrigin <= CONNECTIONS_PER_ORIGIN,
      },
      {
        name: "loop p99",
        pick: (s) => s.loopP99Ms,
        flat: (s) => s.loopP99Ms <= start.loopP99Ms * 2 + 20,
      },
      {
        name: "pending",
        pick: (s) => s.pending,
        flat: (s) => s.pending <= start.pending * 2 + rate * 10,
      },
      // The database keeps every event, so its size grows with the load; flat here means it
      // grows by the same bytes per event throughout (no bloat, WAL kept in check).
      {
        name: "db bytes/event",
        pick: (s) => s.dbMb / Math.max(1, s.events),
        flat: (s) =>
          s.dbMb / Math.max(1, s.events) <= (start.dbMb / Math.max(1, start.events)) * 1.5,
      },
    ];
    out("  flat?            middle/start  end/start");
    for (const f of figures) {
      const ok = f.flat(middle) && f.flat(end);
      out(
        `  ${f.name.padEnd(16)} ${ratio(f.pick(middle), f.pick(start)).toFixed(2).padStart(12)}  ${ratio(f.pick(end), f.pick(start)).toFixed(2).padStart(9)}  ${ok ? "flat" : "NOT FLAT"}`,
      );
      if (!ok) problems.push(`${f.name} is not flat`);
    }
    out(
      `  peak RSS ${(rssPeak / 2 ** 20).toFixed(0)} MB; load average ${os.loadavg()[0]?.toFixed(1)} at the end`,
    );
    if (settledHandles !== beforeHandles) {
      problems.push(`handles after the load: ${settledHandles}, ${beforeHandles} before it`);
    }
    if (settled.tcpConnections !== 0 || settledFixed !== beforeFixed) {
      problems.push(
        `fds after the load: ${settledFixed} fixed and ${settled.tcpConnections} TCP; before it ${beforeFixed} fixed and ${before.tcpConnections} TCP (${fdKindChanges(beforeKinds, settledKinds).join(", ") || "no kind moved"})`,
      );
    }
    for (const note of notes) out(`  note   ${note}`);
    if (problems.length === 0) {
      out(`  result: flat, and all ${events} events delivered or dead-lettered, none lost`);
      return 0;
    }
    out(`  result: FAILED\n    ${problems.join("\n    ")}`);
    return 1;
  } finally {
    clearInterval(peakTimer);
    loop.disable();
    for (const child of children) {
      if (child.connected) child.disconnect();
      await stopChild(child);
    }
    await reader.close();
    await server.shutdown("soak finished");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
