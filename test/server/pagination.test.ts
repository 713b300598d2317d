import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../server/http/pagination.ts";
import { customerBody, listingBody, startTestServer, type TestServer } from "./harness.ts";

describe("cursor pagination", () => {
  let srv: TestServer;
  let a: { id: string; key: string };
  let b: { id: string; key: string };

  beforeAll(async () => {
    srv = await startTestServer();
    a = await srv.integration();
    b = await srv.integration();
    for (let i = 0; i < 25; i++) {
      await srv.request("POST", "/v1/listings", {
        key: a.key,
        body: listingBody({ brand: i % 2 === 0 ? "Rolex" : "Omega" }),
      });
    }
    await srv.request("POST", "/v1/listings", { key: b.key, body: listingBody() });
  });
  afterAll(() => srv.close());

  async function walk(
    key: string,
    url: string,
    whileWalking?: () => Promise<void>,
  ): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const sep = url.includes("?") ? "&" : "?";
      const res = await srv.request(
        "GET",
        cursor === null ? url : `${url}${sep}starting_after=${encodeURIComponent(cursor)}`,
        { key },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((x: { id: string }) => x.id));
      if (whileWalking !== undefined) await whileWalking();
      if (!res.body.has_more) {
        expect(res.body.next_cursor).toBeNull();
        return seen;
      }
      cursor = res.body.next_cursor;
    }
    throw new Error("too many pages");
  }

  it("when pages are walked while new items are inserted, then no item is skipped or repeated", async () => {
    const own = await srv.integration();
    const initial: string[] = [];
    for (let i = 0; i < 12; i++) {
      initial.push(
        (await srv.request("POST", "/v1/customers", { key: own.key, body: customerBody() })).body
          .id,
      );
    }
    const seen = await walk(own.key, "/v1/customers?limit=5", async () => {
      await srv.request("POST", "/v1/customers", { key: own.key, body: customerBody() });
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...initial].reverse());
  });

  it("when pages are walked with a filter, then every matching item appears once, newest first", async () => {
    const seen = await walk(a.key, "/v1/listings?limit=4&brand=Rolex");
    expect(seen).toHaveLength(13);
    expect(new Set(seen).size).toBe(13);
  });

  async function firstCursor(key: string, url: string): Promise<string> {
    const res = await srv.request("GET", url, { key });
    expect(res.body.has_more).toBe(true);
    return res.body.next_cursor as string;
  }

  it.each([
    ["a forged cursor", (_c: string) => "c1.eyJzIjo1fQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["a cursor of an older format", (_c: string) => "eyJzIjo1fQ"],
    [
      "a tampered payload",
      (c: string) => `${c.slice(0, 10)}${c[10] === "A" ? "B" : "A"}${c.slice(11)}`,
    ],
    ["garbage", (_c: string) => "%%%"],
  ])("when starting_after is %s, then 400 invalid_cursor", async (_n, mutate) => {
    const cursor = await firstCursor(a.key, "/v1/listings?limit=2");
    const res = await srv.request(
      "GET",
      `/v1/listings?limit=2&starting_after=${encodeURIComponent(mutate(cursor))}`,
      { key: a.key },
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_cursor", param: "starting_after" });
  });

  it("when another integration presents a cursor, then 400 invalid_cursor", async () => {
    const cursor = await firstCursor(a.key, "/v1/listings?limit=2");
    const res = await srv.request(
      "GET",
      `/v1/listings?limit=2&starting_after=${encodeURIComponent(cursor)}`,
      { key: b.key },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_cursor");
  });

  it("when a cursor is used with other filters or on another list, then 400 invalid_cursor", async () => {
    const cursor = await firstCursor(a.key, "/v1/listings?limit=2&brand=Rolex");
    const otherFilter = await srv.request(
      "GET",
      `/v1/listings?brand=Omega&starting_after=${encodeURIComponent(cursor)}`,
      { key: a.key },
    );
    expect(otherFilter.body.error.code).toBe("invalid_cursor");
    const otherList = await srv.request(
      "GET",
      `/v1/events?starting_after=${encodeURIComponent(cursor)}`,
      { key: a.key },
    );
    expect(otherList.body.error.code).toBe("invalid_cursor");
    const sameFilterOtherLimit = await srv.request(
      "GET",
      `/v1/listings?brand=Rolex&limit=7&starting_after=${encodeURIComponent(cursor)}`,
      { key: a.key },
    );
    expect(sameFilterOtherLimit.status).toBe(200);
  });

  it("when a cursor is signed with another secret, then it is refused; with the same scope and secret it round-trips", () => {
    const scope = {
      integrationId: "int_x",
      list: "listings",
      filters: { brand: "Rolex", status: undefined },
    };
    const secret = Buffer.from("k".repeat(32));
    expect(decodeCursor(secret, scope, encodeCursor(secret, scope, 42))).toBe(42);
    // Key order and absent filters do not change the scope.
    expect(
      decodeCursor(
        secret,
        { ...scope, filters: { status: undefined, brand: "Rolex" } },
        encodeCursor(secret, scope, 7),
      ),
    ).toBe(7);
    expect(() =>
      decodeCursor(Buffer.from("j".repeat(32)), scope, encodeCursor(secret, scope, 42)),
    ).toThrow(/starting_after/);
  });

  it("when a cursor is issued, then it is sealed: its seq cannot be read, and neighbouring positions share nothing visible", () => {
    const scope = { integrationId: "int_x", list: "listings", filters: {} };
    const secret = Buffer.from("k".repeat(32));
    const c41 = encodeCursor(secret, scope, 41);
    const c42 = encodeCursor(secret, scope, 42);
    expect(c42).toMatch(/^c2\.[A-Za-z0-9_-]+$/);
    const raw = Buffer.from(c42.slice(3), "base64url");
    expect(raw.toString("latin1")).not.toMatch(/"s"|42/);
    expect(raw.readBigUInt64BE(12)).not.toBe(42n);
    // The same position in the same scope gives the same cursor; the next one differs throughout.
    expect(encodeCursor(secret, scope, 42)).toBe(c42);
    const differing = [...c42].filter((ch, i) => ch !== c41[i]).length;
    expect(differing).toBeGreaterThan(c42.length / 2);
  });

  it("when a signed cursor issued before sealing is presented, then it is still honoured", () => {
    const scope = { integrationId: "int_x", list: "listings", filters: { brand: "Rolex" } };
    const secret = Buffer.from("k".repeat(32));
    // Built exactly as the c1 format was: base64url JSON payload and a truncated HMAC.
    const payload = Buffer.from(JSON.stringify({ s: 42 })).toString("base64url");
    const digest = crypto
      .createHash("sha256")
      .update(JSON.stringify([["brand", "Rolex"]]))
      .digest("base64url")
      .slice(0, 16);
    const mac = crypto
      .createHmac("sha256", secret)
      .update(`c1\nint_x\nlistings\n${digest}\n${payload}`)
      .digest("base64url")
      .slice(0, 32);
    expect(decodeCursor(secret, scope, `c1.${payload}.${mac}`)).toBe(42);
    expect(() => decodeCursor(secret, scope, `c1.${payload}.${mac.replace(/.$/, "A")}`)).toThrow(
      /starting_after/,
    );
  });
});
