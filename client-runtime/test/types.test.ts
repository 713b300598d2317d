/**
 * Type-level tests: `npx tsc --noEmit` (the CI type-check step) fails if a typed expectation
 * breaks or if a call marked `@ts-expect-error` starts to compile. Each test also runs its calls
 * against a scripted server, so the runtime agrees with the types.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { ApiResult } from "../src/client.ts";
import { createFixtureClient, type FixtureClient, type FixtureError } from "./fixtures/client.ts";
import type { components } from "./fixtures/paths.ts";
import { type ScriptedServer, startScriptedServer } from "./helpers/scripted-server.ts";

type Widget = components["schemas"]["Widget"];
type Code = components["schemas"]["ErrorCode"];
const widget: Widget = { id: "wid_1", object: "widget", name: "a", size: 1, color: null };

let server: ScriptedServer;
let client: FixtureClient;

beforeAll(async () => {
  server = await startScriptedServer((request) =>
    request.url.startsWith("/v1/widgets?") || request.url === "/v1/widgets"
      ? request.method === "POST"
        ? { status: 201, body: widget }
        : {
            status: 200,
            body: { object: "list", data: [widget], has_more: false, next_cursor: null },
          }
      : {
          status: 404,
          body: { error: { code: "resource_not_found", message: "no", request_id: "req_1" } },
        },
  );
  client = createFixtureClient({ apiKey: "wth_test_k", baseUrl: server.url, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

/** Exhaustive by construction: adding a code to the document makes `never` fail to compile. */
function describeCode(code: Code): string {
  switch (code) {
    case "parameter_invalid":
      return "fix the request";
    case "resource_not_found":
      return "gone";
    case "idempotency_key_in_use":
    case "rate_limited":
      return "retry later";
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}

describe("typed calls", () => {
  it("when a call succeeds, then data has the operation's response type and error is undefined", async () => {
    const result = await client.POST("/v1/widgets", { body: { name: "a", size: 1 } });
    expectTypeOf(result).toEqualTypeOf<ApiResult<Widget, FixtureError>>();
    if (result.error) throw new Error("expected success");
    expectTypeOf(result.data).toEqualTypeOf<Widget>();
    expect(result.data.object).toBe("widget");
  });

  it("when a call fails, then error.code is the literal union of the document's codes", async () => {
    const { data, error } = await client.GET("/v1/widgets/{widget_id}", {
      params: { path: { widget_id: "missing" } },
    });
    expectTypeOf(data).toEqualTypeOf<Widget | undefined>();
    if (!error) throw new Error("expected an error");
    expectTypeOf(error.code).toEqualTypeOf<Code>();
    expect(describeCode(error.code)).toBe("gone");
  });

  it("when a switch misses a code, then it does not compile", () => {
    const partial = (code: Code): string => {
      switch (code) {
        case "parameter_invalid":
          return "fix";
        default: {
          // @ts-expect-error "resource_not_found" | … is not assignable to never
          const unhandled: never = code;
          return unhandled;
        }
      }
    };
    expect(partial("parameter_invalid")).toBe("fix");
  });

  it("when paginating, then items have the list's item type", async () => {
    const names: string[] = [];
    for await (const item of client.paginate("/v1/widgets", { params: { query: { limit: 1 } } })) {
      expectTypeOf(item).toEqualTypeOf<Widget>();
      names.push(item.name);
    }
    expect(names).toEqual(["a"]);
  });
});

describe("calls that must not compile", () => {
  it("when the path, a parameter, or the body is wrong, then the call is a type error", async () => {
    const before = server.requests.length;
    const wrong = [
      // @ts-expect-error no such path
      () => client.GET("/v1/gadgets"),
      // @ts-expect-error POST is not an operation of this path
      () => client.POST("/v1/status"),
      // @ts-expect-error the path parameter is required
      () => client.GET("/v1/widgets/{widget_id}"),
      // @ts-expect-error the path parameter has the wrong name
      () => client.GET("/v1/widgets/{widget_id}", { params: { path: { id: "x" } } }),
      // @ts-expect-error limit is a number
      () => client.GET("/v1/widgets", { params: { query: { limit: "ten" } } }),
      // @ts-expect-error color is an enum
      () => client.GET("/v1/widgets", { params: { query: { color: "green" } } }),
      // @ts-expect-error the body is required
      () => client.POST("/v1/widgets"),
      // @ts-expect-error name is a string
      () => client.POST("/v1/widgets", { body: { name: 1, size: 1 } }),
      // @ts-expect-error size is missing
      () => client.POST("/v1/widgets", { body: { name: "a" } }),
      // @ts-expect-error /v1/status is not a list
      () => client.paginate("/v1/status"),
    ];
    expect(wrong).toHaveLength(10);
    // None of them was sent: the type errors are what this test is about.
    expect(server.requests.length).toBe(before);
  });
});
