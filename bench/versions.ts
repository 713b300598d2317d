/**
 * `npm run bench -- versions [--duration S] [--connections N] [--rounds R]`
 *
 * What a pinned version costs. In a temporary copy of the repository three versions are minted
 * after 2026-05-07 (2026-06-01, 2026-07-01, 2026-08-01), each with a version change whose
 * Listing converter does real work on every object (renames a field, maps an enum value) and
 * whose Metadata converter rebuilds the nested metadata object of each listing (reached through
 * the schema graph, compiled once per version and schema). One server (production mode: request validation on) then
 * serves GET /v1/listings?limit=20 — the server benchmark's endpoint — to an integration on the
 * newest version (no converter runs) and to one pinned three versions back (3 hops × 20
 * listings), in alternating rounds of the same run. Target: each hop costs under 5% of
 * throughput, i.e. pinned / newest ≥ 0.95³ ≈ 0.857.
 *
 * The minted documents are copies of 2026-05-07, so the pinned responses are not checked
 * against a document here (production does not validate responses); the mint-to-release test
 * proves shapes, this measures cost.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { copyRepository } from "../scripts/versions/copy.ts";
import { mintVersion } from "../scripts/versions/mint.ts";
import { readRegistry, writeRegistry } from "../scripts/versions/registry-file.ts";
import { openSqlite } from "../server/db/connection.ts";
import { migrateToLatest } from "../server/db/migrate.ts";
import { systemClock, systemRandom } from "../server/deps.ts";
import { createIntegration } from "../server/integrations.ts";
import { cpuUs, type LoadResult, loadArgs, median, runLoad, stopChild } from "./server/measure.ts";

const FIRST = "2026-05-07";
const HOPS = ["2026-06-01", "2026-07-01", "2026-08-01"];
const NEWEST = "2026-08-01";

interface Measurement extends LoadResult {
  /** The server's CPU time per request, in µs: robust against a busy machine. */
  cpu: number;
}

/** Each hop renames another field, so that every hop does the same amount of work. */
const RENAMED = ["model", "reference_number", "description"];

function hopChange(n: number): string {
  const field = RENAMED[n - 1] as string;
  return `import { defineVersionChange } from "../../change.ts";
import { mapValue, renameField } from "../../fields.ts";

export const changes = [
  defineVersionChange({
    id: "bench-hop-${n}",
    description: "Benchmark hop ${n}: a renamed field, a mapped enum value, a rebuilt nested object.",
    migration: "None: a benchmark change.",
    answers: ["bench"],
    // The nested object is converted by a converter keyed on its own schema (Metadata), which
    // only conversion along the schema graph reaches inside each Listing.
    response: {
      Listing: (listing) =>
        mapValue(renameField(listing, "${field}", "${field}_${n}"), "condition", { excellent: "very_good" }),
      Metadata: (metadata) => ({ ...metadata, hop_${n}: "converted" }),
    },
  }),
];
`;
}

/** Three minted, released versions whose changes convert every Listing. */
function prepareCopy(root: string): void {
  const baseDoc = JSON.parse(
    fs.readFileSync(path.join(root, "generated", FIRST, "openapi.json"), "utf8"),
  ) as { info: { version: string } };
  HOPS.forEach((date, i) => {
    mintVersion(root, date);
    writeRegistry(
      root,
      readRegistry(root).map((r) =>
        r.version === date ? { ...r, status: "released", released_at: date } : r,
      ),
    );
    fs.mkdirSync(path.join(root, "generated", date), { recursive: true });
    fs.writeFileSync(
      path.join(root, "generated", date, "openapi.json"),
      JSON.stringify({ ...baseDoc, info: { ...baseDoc.info, version: date } }),
    );
    fs.writeFileSync(
      path.join(root, "server", "versions", "changes", date, "index.ts"),
      hopChange(i + 1),
    );
  });
}

async function serve(
  root: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [path.join(root, "scripts", "wth.js"), "serve"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let head = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", (c: Buffer) => {
      // Keep only the start: the access log is drained and dropped.
      if (head.length < 64 * 1024) head += c;
      const m = /"msg":"listening"/.test(head) ? /"port":(\d+)/.exec(head) : null;
      if (m?.[1] !== undefined) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${head}`)));
  });
  return { child, port };
}

export async function run(args: string[]): Promise<void> {
  const { duration, connections, rounds } = loadArgs(args, 5);

  const root = copyRepository("wth-bench-versions-");
  const dataDir = fs.mkdtempSync(path.join(root, "..", "wth-bench-versions-data-"));
  let server: ChildProcess | undefined;
  try {
    prepareCopy(root);
    const handle = openSqlite(path.join(dataDir, "wth.sqlite"));
    await migrateToLatest(handle.db);
    const deps = { db: handle.db, clock: systemClock, random: systemRandom };
    const newest = await createIntegration(deps, {
      name: "Newest",
      mode: "test",
      apiVersion: NEWEST,
    });
    const pinned = await createIntegration(deps, {
      name: "Pinned",
      mode: "test",
      apiVersion: FIRST,
    });
    await handle.close();

    const started = await serve(root, {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      TMPDIR: dataDir,
      WTH_SECRET_KEY: "bench-secret-bench-secret-bench-secret-0002",
      WTH_RATE_LIMIT_PER_SECOND: "100000000",
      WTH_RATE_LIMIT_BURST: "100000000",
      WTH_WEBHOOK_WORKER: "0",
    });
    server = started.child;
    const base = `http://127.0.0.1:${started.port}`;
    const targets = {
      newest: { headers: { authorization: `Bearer ${newest.apiKey}` }, version: NEWEST },
      pinned: { headers: { authorization: `Bearer ${pinned.apiKey}` }, version: FIRST },
    };
    for (const t of Object.values(targets)) {
      for (let i = 0; i < 30; i++) {
        const res = await fetch(`${base}/v1/listings`, {
          method: "POST",
          headers: { ...t.headers, "content-type": "application/json" },
          body: JSON.stringify({
            brand: i % 2 === 0 ? "Rolex" : "Omega",
            model: `Model ${i}`,
            reference_number: `REF-${1000 + i}`,
            condition: "excellent",
            price: 100000 + i,
            currency: "EUR",
            year: 2000 + (i % 20),
            description: "A benchmark listing with a description of realistic length for a watch.",
            metadata: { sku: `SKU-${i}` },
          }),
        });
        if (res.status !== 201)
          throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
      }
    }
    // The converters really run for the pinned integration, and only for it.
    const sample = async (t: (typeof targets)["pinned"]) => {
      const res = await fetch(`${base}/v1/listings?limit=20`, { headers: t.headers });
      const body = (await res.json()) as { data: Array<Record<string, unknown>> };
      return { version: res.headers.get("x-api-version"), first: body.data[0] ?? {} };
    };
    const p = await sample(targets.pinned);
    const n = await sample(targets.newest);
    if (
      p.version !== FIRST ||
      !RENAMED.every((f, i) => `${f}_${i + 1}` in p.first) ||
      p.first.condition !== "very_good"
    ) {
      throw new Error(
        `the pinned integration did not get converted listings: ${JSON.stringify(p)}`,
      );
    }
    if (n.version !== NEWEST || !("model" in n.first)) {
      throw new Error(`the newest integration got converted listings: ${JSON.stringify(n)}`);
    }

    process.stdout.write(
      `versions bench: GET /v1/listings?limit=20, one server, newest (${NEWEST}) vs pinned ${FIRST} (${HOPS.length} hops, 20 listings converted per hop), ${connections} connections, ${duration}s × ${rounds} rounds each\n`,
    );
    const results: Record<"newest" | "pinned", Measurement[]> = { newest: [], pinned: [] };
    const url = `${base}/v1/listings?limit=20`;
    for (const who of ["newest", "pinned"] as const) {
      await runLoad({ url, headers: targets[who].headers, connections, duration: 2 }); // warm-up
    }
    for (let round = 0; round < rounds; round++) {
      const order =
        round % 2 === 0 ? (["newest", "pinned"] as const) : (["pinned", "newest"] as const);
      for (const who of order) {
        const before = cpuUs(server.pid ?? 0);
        const m = await runLoad({ url, headers: targets[who].headers, connections, duration });
        const cpu = (cpuUs(server.pid ?? 0) - before) / Math.max(1, m.total);
        if (m.non2xx > 0 || m.errors > 0) {
          throw new Error(
            `${who}: ${m.non2xx} non-2xx and ${m.errors} errors; the benchmark is invalid`,
          );
        }
        results[who].push({ ...m, cpu });
      }
    }
    const summary = (who: "newest" | "pinned") => ({
      rps: median(results[who].map((r) => r.rps)),
      p50: median(results[who].map((r) => r.p50)),
      p99: median(results[who].map((r) => r.p99)),
      cpu: median(results[who].map((r) => r.cpu)),
    });
    const a = summary("newest");
    const b = summary("pinned");
    const ratio = b.rps / a.rps;
    const perHop = 1 - ratio ** (1 / HOPS.length);
    const cpuRatio = a.cpu / b.cpu;
    const cpuPerHop = 1 - cpuRatio ** (1 / HOPS.length);
    const row = (name: string, s: ReturnType<typeof summary>) =>
      `${name.padEnd(44)}${s.rps.toFixed(0).padStart(10)}${`${s.p50} ms`.padStart(10)}${`${s.p99} ms`.padStart(10)}${`${s.cpu.toFixed(0)} µs`.padStart(14)}`;
    const lines = [
      `${"integration".padEnd(44)}${"req/s".padStart(10)}${"p50".padStart(10)}${"p99".padStart(10)}${"CPU/request".padStart(14)}`,
      row(`baseline: newest ${NEWEST} (no converter)`, a),
      row(`pinned ${FIRST} (${HOPS.length} hops)`, b),
      "",
      `pinned / newest = ${ratio.toFixed(3)}`,
      `cost per hop    = ${(perHop * 100).toFixed(1)}% of throughput (target < 5%: ${perHop < 0.05 ? "met" : "NOT met"})`,
      `by server CPU per request (less sensitive to a busy machine): newest / pinned = ${cpuRatio.toFixed(3)}, cost per hop = ${(cpuPerHop * 100).toFixed(1)}% (target < 5%: ${cpuPerHop < 0.05 ? "met" : "NOT met"})`,
      `rounds (req/s):  newest ${results.newest.map((r) => r.rps.toFixed(0)).join(", ")}; pinned ${results.pinned.map((r) => r.rps.toFixed(0)).join(", ")}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    if (server !== undefined) await stopChild(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  }
}
