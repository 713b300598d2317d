import { afterEach, describe, expect, it } from "vitest";
import { type ClientOptions, unwrap } from "../src/client.ts";
import {
  WthApiError,
  WthConnectionError,
  WthTimeoutError,
  WthUnexpectedResponseError,
} from "../src/errors.ts";
import type { VersionMismatch } from "../src/transport.ts";
import { createFixtureClient } from "./fixtures/client.ts";
import {
  type Answer,
  apiError,
  type RecordedRequest,
  type ScriptedServer,
  startScriptedServer,
} from "./helpers/scripted-server.ts";

const widget = { id: "wid_1", object: "widget", name: "a", size: 1, color: null };
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client against a scripted server, with waits recorded instead of slept. */
async function setup(
  answer: (request: RecordedRequest, index: number) => Answer,
  extra: { maxRetries?: number; timeoutMs?: number } = {},
) {
  server = await startScriptedServer(answer);
  const waits: number[] = [];
  const mismatches: VersionMismatch[] = [];
  let keys = 0;
  const client = createFixtureClient({
    apiKey: "wth_test_abc",
    baseUrl: server.url,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    now: () => Date.parse("2026-05-07T12:00:00Z"),
    generateIdempotencyKey: () => `key-${++keys}`,
    onVersionMismatch: (mismatch) => mismatches.push(mismatch),
    ...extra,
  });
  return { client, requests: server.requests, waits, mismatches };
}

describe("retries", () => {
  const retried: [string, Answer][] = [
    ["a 500", { status: 500, body: apiError("internal_error") }],
    ["a 503", { status: 503, body: apiError("service_unavailable") }],
    ["a 429", { status: 429, body: apiError("rate_limited") }],
    ["a 409 idempotency_key_in_use", { status: 409, body: apiError("idempotency_key_in_use") }],
    ["a dropped connection", { destroy: true }],
  ];
  it.each(retried)(
    "when the server answers %s twice, then the third attempt's result is returned",
    async (_, failure) => {
      const { client, requests, waits } = await setup((_r, i) =>
        i < 2 ? failure : { status: 200, body: widget },
      );
      const result = await client.GET("/v1/widgets/{widget_id}", {
        params: { path: { widget_id: "wid_1" } },
      });
      expect(result.data).toEqual(widget);
      expect(requests).toHaveLength(3);
      // equal jitter with random() = 0.5: 3/4 of 500 ms, then of 1000 ms
      expect(waits).toEqual([375, 750]);
    },
  );

  const notRetried: [string, number, string][] = [
    ["400 parameter_invalid", 400, "parameter_invalid"],
    ["404 resource_not_found", 404, "resource_not_found"],
    ["409 with another code", 409, "listing_sold"],
  ];
  it.each(notRetried)(
    "when the server answers %s, then the error is returned after one attempt",
    async (_, status, code) => {
      const { client, requests, waits } = await setup(() => ({ status, body: apiError(code) }));
      const result = await client.GET("/v1/status");
      expect(result.error?.code).toBe(code);
      expect(result.response.status).toBe(status);
      expect(requests).toHaveLength(1);
      expect(waits).toEqual([]);
    },
  );

  it("when a 429 carries Retry-After: 3, then the client waits 3 s before the retry", async () => {
    const { client, waits } = await setup((_r, i) =>
      i === 0
        ? { status: 429, body: apiError("rate_limited"), headers: { "retry-after": "3" } }
        : { status: 200, body: { ok: true } },
    );
    const result = await client.GET("/v1/status");
    expect(result.data).toEqual({ ok: true });
    expect(waits).toEqual([3000]);
  });

  it("when Retry-After is an HTTP date, then the wait is measured from the injected clock", async () => {
    const { client, waits } = await setup((_r, i) =>
      i === 0
        ? {
            status: 503,
            body: apiError("service_unavailable"),
            headers: { "retry-after": "Thu, 07 May 2026 12:00:05 GMT" },
          }
        : { status: 200, body: { ok: true } },
    );
    await client.GET("/v1/status");
    expect(waits).toEqual([5000]);
  });

  it("when Retry-After asks for more than a minute, then the 429 is returned without waiting", async () => {
    const { client, requests, waits } = await setup(() => ({
      status: 429,
      body: apiError("rate_limited"),
      headers: { "retry-after": "120" },
    }));
    const result = await client.GET("/v1/status");
    expect(result.error?.code).toBe("rate_limited");
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("when every attempt fails, then maxRetries + 1 requests are sent and the last error returned", async () => {
    const { client, requests, waits } = await setup(
      () => ({ status: 500, body: apiError("internal_error") }),
      {
        maxRetries: 3,
      },
    );
    const result = await client.GET("/v1/status");
    expect(result.error?.code).toBe("internal_error");
    expect(requests).toHaveLength(4);
    expect(waits).toEqual([375, 750, 1500]);
  });

  it("when maxRetries is 0 for one call, then that call is sent once", async () => {
    const { client, requests } = await setup(() => ({
      status: 500,
      body: apiError("internal_error"),
    }));
    await client.GET("/v1/status", { maxRetries: 0 });
    expect(requests).toHaveLength(1);
  });

  it("when the connection fails on every attempt, then a WthConnectionError counts the attempts", async () => {
    const { client, requests } = await setup(() => ({ destroy: true }));
    const failure = await client.GET("/v1/status").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WthConnectionError);
    expect((failure as WthConnectionError).attempts).toBe(3);
    expect((failure as Error).message).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+: could not connect \(3 attempts\)/,
    );
    expect(requests).toHaveLength(3);
  });

  it("when nothing listens on the port, then the error names the refused connection", async () => {
    const closed = await startScriptedServer(() => ({ status: 200 }));
    await closed.close();
    const client = createFixtureClient({
      apiKey: "wth_test_abc",
      baseUrl: closed.url,
      maxRetries: 0,
    });
    await expect(client.GET("/v1/status")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("when the server is slower than timeoutMs, then each attempt times out and WthTimeoutError is thrown", async () => {
    const { client, waits } = await setup(() => ({ delayMs: 5_000, status: 200, body: {} }), {
      timeoutMs: 200,
      maxRetries: 1,
    });
    const failure = await client.GET("/v1/status").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WthTimeoutError);
    expect((failure as WthTimeoutError).attempts).toBe(2);
    expect((failure as Error).message).toContain("no response within 200 ms (2 attempts)");
    expect(waits).toEqual([375]);
  });

  it("when the caller aborts, then the abort reason is thrown and nothing is retried", async () => {
    const controller = new AbortController();
    const { client, requests } = await setup(() => {
      // Abort once the server holds the request, however slow this machine is.
      setTimeout(() => controller.abort(new Error("user gave up")), 10);
      return { delayMs: 2_000, status: 200, body: {} };
    });
    await expect(client.GET("/v1/status", { signal: controller.signal })).rejects.toThrow(
      "user gave up",
    );
    expect(requests).toHaveLength(1);
  });
});

describe("idempotency keys", () => {
  it("when a POST is retried, then every attempt carries the same generated Idempotency-Key and body", async () => {
    const { client, requests } = await setup((_r, i) =>
      i === 0 ? { status: 500, body: apiError("internal_error") } : { status: 201, body: widget },
    );
    const result = await client.POST("/v1/widgets", { body: { name: "a", size: 1 } });
    expect(result.data).toEqual(widget);
    expect(requests.map((r) => r.headers["idempotency-key"])).toEqual(["key-1", "key-1"]);
    expect(requests.map((r) => JSON.parse(r.body))).toEqual([
      { name: "a", size: 1 },
      { name: "a", size: 1 },
    ]);
  });

  it("when a POST's connection drops, then the retry resends the same body with the same key", async () => {
    const { client, requests } = await setup((_r, i) =>
      i === 0 ? { destroy: true } : { status: 201, body: widget },
    );
    const result = await client.POST("/v1/widgets", { body: { name: "b", size: 2 } });
    expect(result.data).toEqual(widget);
    expect(requests.map((r) => [r.headers["idempotency-key"], r.body])).toEqual([
      ["key-1", '{"name":"b","size":2}'],
      ["key-1", '{"name":"b","size":2}'],
    ]);
  });

  it("when two POSTs are made, then each gets its own key", async () => {
    const { client, requests } = await setup(() => ({ status: 201, body: widget }));
    await client.POST("/v1/widgets", { body: { name: "a", size: 1 } });
    await client.POST("/v1/widgets", { body: { name: "a", size: 1 } });
    expect(requests.map((r) => r.headers["idempotency-key"])).toEqual(["key-1", "key-2"]);
  });

  it("when the caller gives a key (option or header parameter), then it is sent unchanged", async () => {
    const { client, requests } = await setup(() => ({ status: 201, body: widget }));
    await client.POST("/v1/widgets", { body: { name: "a", size: 1 }, idempotencyKey: "order-42" });
    await client.POST("/v1/widgets", {
      body: { name: "a", size: 1 },
      params: { header: { "Idempotency-Key": "order-43" } },
    });
    expect(requests.map((r) => r.headers["idempotency-key"])).toEqual(["order-42", "order-43"]);
  });

  it("when the method is not POST, then no Idempotency-Key is added", async () => {
    const { client, requests } = await setup(() => ({ status: 200, body: widget }));
    await client.PATCH("/v1/widgets/{widget_id}", {
      params: { path: { widget_id: "wid_1" } },
      body: { size: 2 },
    });
    expect(requests[0]?.headers["idempotency-key"]).toBeUndefined();
    expect(requests[0]?.method).toBe("PATCH");
    expect(JSON.parse(requests[0]?.body ?? "")).toEqual({ size: 2 });
  });
});

describe("requests and results", () => {
  it("when a call is made, then it sends the bearer key, path and query parameters", async () => {
    const { client, requests } = await setup(() => ({
      status: 200,
      body: { object: "list", data: [], has_more: false, next_cursor: null },
    }));
    await client.GET("/v1/widgets", { params: { query: { limit: 5, color: "red" } } });
    await client.DELETE("/v1/widgets/{widget_id}", { params: { path: { widget_id: "wid 1/x" } } });
    expect(requests[0]?.headers.authorization).toBe("Bearer wth_test_abc");
    expect(requests[0]?.url).toBe("/v1/widgets?limit=5&color=red");
    expect(requests[1]?.url).toBe("/v1/widgets/wid%201%2Fx");
    expect(requests[1]?.method).toBe("DELETE");
  });

  it("when the API answers with an error, then `error` is the body's error object", async () => {
    const { client } = await setup(() => ({
      status: 404,
      body: {
        error: {
          code: "resource_not_found",
          message: "No such widget",
          param: "widget_id",
          request_id: "req_1",
        },
      },
    }));
    const result = await client.GET("/v1/widgets/{widget_id}", {
      params: { path: { widget_id: "x" } },
    });
    expect(result.data).toBeUndefined();
    expect(result.error).toEqual({
      code: "resource_not_found",
      message: "No such widget",
      param: "widget_id",
      request_id: "req_1",
    });
    expect(() => unwrap(result)).toThrow(WthApiError);
  });

  it("when the error body is not the documented shape, then WthUnexpectedResponseError says so", async () => {
    const { client } = await setup(() => ({ status: 502, body: "Bad gateway" }), { maxRetries: 0 });
    const failure = await client.GET("/v1/status").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WthUnexpectedResponseError);
    expect((failure as WthUnexpectedResponseError).status).toBe(502);
    expect((failure as WthUnexpectedResponseError).requestId).toBe("req_test1");
  });

  it("when a success body is not JSON, then WthUnexpectedResponseError carries the status and text", async () => {
    const { client } = await setup(() => ({ status: 200, raw: "<html>captive portal</html>" }));
    const failure = await client.GET("/v1/status").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WthUnexpectedResponseError);
    expect((failure as WthUnexpectedResponseError).status).toBe(200);
    expect((failure as WthUnexpectedResponseError).body).toBe("<html>captive portal</html>");
    expect((failure as Error).message).toContain("not JSON");
  });

  it("when the caller asks for another parseAs, then the body is handed over unparsed", async () => {
    const { client } = await setup(() => ({ status: 200, body: { ok: true } }));
    const result = await client.GET("/v1/status", { parseAs: "text" });
    expect(result.data).toBe('{"ok":true}');
  });

  it("when createClient gets no apiKey, then it throws a message that says how to pass one", () => {
    expect(() => createFixtureClient({ apiKey: "", baseUrl: "http://127.0.0.1:9" })).toThrow(
      /`apiKey` is required/,
    );
  });

  it("when createClient gets no baseUrl, then it throws before any request, saying it is required", () => {
    // The type says baseUrl is required; a JavaScript caller can still leave it out.
    const options = { apiKey: "wth_test_abc" } as ClientOptions;
    expect(() => createFixtureClient(options)).toThrow(/`baseUrl` is required/);
  });

  it("when baseUrl is not an absolute http(s) URL, then createClient names the value", () => {
    expect(() =>
      createFixtureClient({ apiKey: "wth_test_abc", baseUrl: "localhost:3000" }),
    ).toThrow(/"localhost:3000" must be an http: or https: URL/);
    expect(() => createFixtureClient({ apiKey: "wth_test_abc", baseUrl: "/v1" })).toThrow(
      /"\/v1" is not an absolute URL/,
    );
  });

  it("when baseUrl ends in a slash, then requests do not double it", async () => {
    server = await startScriptedServer(() => ({ status: 200, body: { ok: true } }));
    const client = createFixtureClient({ apiKey: "wth_test_abc", baseUrl: `${server.url}/` });
    const result = await client.GET("/v1/status");
    expect(result.data).toEqual({ ok: true });
    expect(server.requests[0]?.url).toBe("/v1/status");
  });
});

describe("pagination", () => {
  it("when a list spans three pages, then paginate yields every item once, following next_cursor", async () => {
    const pages = [
      {
        object: "list",
        data: [
          { ...widget, id: "w1" },
          { ...widget, id: "w2" },
        ],
        has_more: true,
        next_cursor: "c1",
      },
      {
        object: "list",
        data: [
          { ...widget, id: "w3" },
          { ...widget, id: "w4" },
        ],
        has_more: true,
        next_cursor: "c2",
      },
      { object: "list", data: [{ ...widget, id: "w5" }], has_more: false, next_cursor: null },
    ];
    const { client, requests } = await setup((_r, i) => ({ status: 200, body: pages[i] }));
    const ids: string[] = [];
    for await (const item of client.paginate("/v1/widgets", {
      params: { query: { limit: 2, color: "red" } },
    })) {
      ids.push(item.id);
    }
    expect(ids).toEqual(["w1", "w2", "w3", "w4", "w5"]);
    expect(requests.map((r) => r.url)).toEqual([
      "/v1/widgets?limit=2&color=red",
      "/v1/widgets?limit=2&color=red&starting_after=c1",
      "/v1/widgets?limit=2&color=red&starting_after=c2",
    ]);
  });

  it("when the caller breaks early, then no further page is fetched", async () => {
    const { client, requests } = await setup(() => ({
      status: 200,
      body: { object: "list", data: [widget, widget], has_more: true, next_cursor: "c1" },
    }));
    for await (const _ of client.paginate("/v1/widgets")) break;
    expect(requests).toHaveLength(1);
  });

  it("when a page fails, then paginate throws a WthApiError with the code", async () => {
    const { client } = await setup(() => ({ status: 400, body: apiError("parameter_invalid") }));
    const iterate = async () => {
      for await (const _ of client.paginate("/v1/widgets")) {
        // never reached
      }
    };
    await expect(iterate()).rejects.toMatchObject({ code: "parameter_invalid", status: 400 });
  });
});

describe("version mismatch", () => {
  it("when responses come in another version, then the hook is called once per version", async () => {
    const { client, mismatches } = await setup(() => ({
      status: 200,
      body: { ok: true },
      headers: { "x-api-version": "2026-09-01" },
    }));
    await client.GET("/v1/status");
    await client.GET("/v1/status");
    expect(mismatches).toEqual([
      { expected: "2026-05-07", received: "2026-09-01", requestId: "req_test1" },
    ]);
  });

  it("when responses come in the client's version, then the hook is never called", async () => {
    const { client, mismatches } = await setup(() => ({ status: 200, body: { ok: true } }));
    await client.GET("/v1/status");
    expect(mismatches).toEqual([]);
  });
});
