/**
 * The SQLite file holds key hashes, sealed secrets and personal data: like the secret file it
 * is readable by its owner only, WAL and shared-memory files included, and a file that an
 * earlier version created readable by others is narrowed when it is next opened.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite } from "../../server/db/connection.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe("SQLite file mode", () => {
  it("when the database is created and written, then it and its -wal and -shm files are 0600", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wth-mode-"));
    dirs.push(dir);
    const file = path.join(dir, "wth.sqlite");
    const handle = openSqlite(file);
    try {
      await sql`create table t (x integer)`.execute(handle.db);
      await sql`insert into t values (1)`.execute(handle.db);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f), f).toBe(0o600);
    } finally {
      await handle.close();
    }
  });

  it("when an existing database is readable by others, then opening it narrows it to 0600", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wth-mode-"));
    dirs.push(dir);
    const file = path.join(dir, "wth.sqlite");
    fs.writeFileSync(file, "");
    fs.chmodSync(file, 0o644);
    const handle = openSqlite(file);
    await handle.close();
    expect(modeOf(file)).toBe(0o600);
  });
});
