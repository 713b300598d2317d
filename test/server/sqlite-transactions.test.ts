import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite } from "../../server/db/connection.ts";
import { repoRoot } from "../../server/versions/registry.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Another process writing to the file: says "writing" before its update and "done" after. */
const WRITER = `
const db = new (require("better-sqlite3"))(process.argv[1]);
db.pragma("busy_timeout = 5000");
console.log("writing");
db.prepare("update t set n = n + 10").run();
console.log("done");
db.close();
`;

describe("SQLite transactions with another connection writing", () => {
  it("when a transaction reads, another process commits a write, and the transaction then writes, then both succeed in turn instead of the first failing as busy", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wth-sqlite-txn-"));
    const file = path.join(dir, "wth.sqlite");
    const handle = openSqlite(file);
    cleanups.push(async () => {
      await handle.close();
      await fs.rm(dir, { recursive: true, force: true });
    });
    await sql`create table t (n integer not null)`.execute(handle.db);
    await sql`insert into t (n) values (0)`.execute(handle.db);

    const output: string[] = [];
    let writing: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      writing = resolve;
    });
    const child = spawn(process.execPath, ["-e", WRITER, file], { cwd: repoRoot });
    child.stdout.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        output.push(line);
        if (line === "writing") writing();
      }
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    cleanups.push(async () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    });

    await handle.db.transaction().execute(async (trx) => {
      await sql`select n from t`.execute(trx);
      await started;
      // Time for the other process's update to reach the lock (and, unguarded, to commit).
      await new Promise((r) => setTimeout(r, 200));
      await sql`update t set n = n + 1`.execute(trx);
      output.push("transaction committing");
    });

    expect(await exited).toBe(0);
    expect(output).toEqual(["writing", "transaction committing", "done"]);
    const { rows } = await sql<{ n: number }>`select n from t`.execute(handle.db);
    expect(rows).toEqual([{ n: 11 }]);
  });
});
