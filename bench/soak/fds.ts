/**
 * This process's open file descriptors by kind, from /proc (Linux). The soak needs the kinds
 * apart: TCP connections come and go with the traffic (pooled keep-alive connections to the
 * receivers, the load's connections to the server, attempts waiting on a receiver that never
 * answers), so a total taken at an arbitrary moment moves by a few without any leak. Everything
 * else (files, pipes, event fds, listening and Unix sockets) is opened once at start-up and must
 * not move at all.
 */
import fs from "node:fs";

export interface FdCounts {
  total: number;
  /** Established (or closing) TCP connections: the traffic. */
  tcpConnections: number;
  /** Everything else: files, pipes, anon inodes, listening TCP sockets, Unix sockets. */
  fixed: number;
  /** Established TCP connections by remote port (the receivers, one port per fault). */
  byRemotePort: Map<number, number>;
  /** Established TCP connections accepted on a local port (the server's). */
  byLocalPort: Map<number, number>;
}

interface TcpEntry {
  localPort: number;
  remotePort: number;
  listening: boolean;
}

function tcpByInode(): Map<string, TcpEntry> {
  const entries = new Map<string, TcpEntry>();
  for (const file of ["/proc/self/net/tcp", "/proc/self/net/tcp6"]) {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      const remote = cols[2];
      const state = cols[3];
      const inode = cols[9];
      if (local === undefined || remote === undefined || inode === undefined) continue;
      entries.set(inode, {
        localPort: Number.parseInt(local.split(":")[1] ?? "0", 16),
        remotePort: Number.parseInt(remote.split(":")[1] ?? "0", 16),
        listening: state === "0A",
      });
    }
  }
  return entries;
}

/**
 * What the fixed descriptors are, by kind ("unix socket", "pipe", "anon_inode:[eventfd]", a
 * file's path), to name what moved when the count does.
 */
export function fixedFdKinds(): Map<string, number> {
  const tcp = tcpByInode();
  const kinds = new Map<string, number>();
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    let kind = target;
    if (inode !== undefined) {
      const entry = tcp.get(inode);
      if (entry !== undefined && !entry.listening) continue;
      kind = entry === undefined ? "socket (not TCP)" : `TCP listening on ${entry.localPort}`;
    } else if (target.startsWith("pipe:")) {
      kind = "pipe";
    } else if (target === "/proc/self/fd" || target.startsWith("/proc/")) {
      continue; // the listing's own descriptor
    }
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return kinds;
}

/** The kinds whose count differs between two fixedFdKinds readings, as "kind a→b". */
export function fdKindChanges(a: Map<string, number>, b: Map<string, number>): string[] {
  const changes: string[] = [];
  for (const kind of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(kind) ?? 0;
    const y = b.get(kind) ?? 0;
    if (x !== y) changes.push(`${kind} ${x}→${y}`);
  }
  return changes;
}

export function countFds(): FdCounts {
  const tcp = tcpByInode();
  const counts: FdCounts = {
    total: 0,
    tcpConnections: 0,
    fixed: 0,
    byRemotePort: new Map(),
    byLocalPort: new Map(),
  };
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the read (the listing's own descriptor, too)
    }
    counts.total++;
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    const entry = inode === undefined ? undefined : tcp.get(inode);
    if (entry === undefined || entry.listening) {
      counts.fixed++;
      continue;
    }
    counts.tcpConnections++;
    counts.byRemotePort.set(entry.remotePort, (counts.byRemotePort.get(entry.remotePort) ?? 0) + 1);
    counts.byLocalPort.set(entry.localPort, (counts.byLocalPort.get(entry.localPort) ?? 0) + 1);
  }
  return counts;
}

/**
 * The fixed descriptors in steady state: the least of a few readings 100 ms apart. A descriptor
 * that lives for an instant (a lookup, a file SQLite opens and closes) is not held; a leaked one
 * is in every reading, so the least still counts it.
 */
export async function steadyFixedFds(readings = 5): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < readings; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100));
    least = Math.min(least, countFds().fixed);
  }
  return least;
}

/**
 * Waits until the fixed descriptors stop moving (the same count for 2 s), at most `maxMs`, and
 * returns that count. The server starts its worker's store thread without waiting for it: the
 * thread loads its modules and opens its own database connection (the file and its WAL) a moment
 * later, so a count taken right after start-up misses those and looks like a leak later on. The
 * caller waits for the thread first (RunningServer.workerReady); on a starved machine its module
 * loading can stall for seconds, so stillness alone is no proof it is done.
 */
export async function quietFixedFds(maxMs = 30_000): Promise<number> {
  const until = Date.now() + maxMs;
  let last = countFds().fixed;
  let same = 0;
  while (same < 8 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    const now = countFds().fixed;
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * Active handles and resources that come and go with the traffic: connections and their requests
 * (connect, write, shutdown, lookups), timers and immediates, and file requests in flight.
 */
const TRAFFIC_HANDLES =
  /^(TCPSocketWrap|TCPWRAP|TCPConnectWrap|ConnectWrap|WriteWrap|ShutdownWrap|GetAddrInfoReqWrap|Timeout|Immediate|FSReqCallback|FSReqPromise|HTTPINCOMINGMESSAGE|HTTPCLIENTREQUEST)$/;

/**
 * Active handles and resources other than sockets and timers (the server, the store thread's
 * port, stdio...), least of a few readings, for the same reason as steadyFixedFds: one request's
 * file read in flight is not a leak; a handle held for good is in every reading.
 */
export async function steadyFixedHandles(readings = 5): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < readings; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100));
    const fixed = process.getActiveResourcesInfo().filter((t) => !TRAFFIC_HANDLES.test(t)).length;
    least = Math.min(least, fixed);
  }
  return least;
}

/** Active handles and resources by type, e.g. "TCPSocketWrap 12, Timeout 40". */
export function handleKinds(): string {
  const kinds = new Map<string, number>();
  for (const t of process.getActiveResourcesInfo()) kinds.set(t, (kinds.get(t) ?? 0) + 1);
  return [...kinds]
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t} ${n}`)
    .join(", ");
}
