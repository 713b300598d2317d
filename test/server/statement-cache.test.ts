import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { withStatementCache } from "../../server/db/statement-cache.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wth-stmt-cache-"));
  dirs.push(dir);
  const sqlite = new SqliteDatabase(path.join(dir, "cache.sqlite"));
  sqlite.exec("create table t (id integer primary key, v text)");
  return sqlite;
}

describe("the prepared-statement cache", () => {
  it("when the same SQL is prepared again, then the first statement is reused and still runs", () => {
    const db = withStatementCache(open());
    const insert = db.prepare("insert into t (v) values (?)");
    expect(db.prepare("insert into t (v) values (?)")).toBe(insert);
    insert.run(["a"]);
    db.prepare("insert into t (v) values (?)").run(["b"]);
    expect(db.prepare("select v from t order by id").all([])).toEqual([{ v: "a" }, { v: "b" }]);
    db.close();
  });

  it("when more distinct texts than its capacity are prepared, then the least recently used is dropped", () => {
    const db = withStatementCache(open(), 2);
    const a = db.prepare("select 1 as a");
    const b = db.prepare("select 2 as b");
    expect(db.prepare("select 1 as a")).toBe(a); // a is now the most recently used
    db.prepare("select 3 as c"); // evicts b
    expect(db.prepare("select 1 as a")).toBe(a);
    expect(db.prepare("select 2 as b")).not.toBe(b);
    db.close();
  });
});
