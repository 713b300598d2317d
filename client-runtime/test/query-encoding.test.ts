/**
 * The client percent-encodes every character RFC 3986 reserves in a query value, including
 * `( ) * ! '`, which `encodeURIComponent` leaves bare, so a filter such as
 * "Tudor (Black Bay)" arrives as data whichever way a server or proxy reads reserved characters.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createFixtureClient } from "./fixtures/client.ts";
import { type ScriptedServer, startScriptedServer } from "./helpers/scripted-server.ts";

let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("query encoding", () => {
  it("when a query value holds ( ) * ! ' and spaces, then each is percent-encoded", async () => {
    server = await startScriptedServer(() => ({
      status: 200,
      body: { object: "list", data: [], has_more: false, next_cursor: null },
    }));
    const client = createFixtureClient({ apiKey: "wth_test_abc", baseUrl: server.url });
    await client.GET("/v1/widgets", {
      params: { query: { starting_after: "Tudor (Black Bay)*!'&=", limit: 5 } },
    });
    const url = server.requests[0]?.url ?? "";
    const query = url.slice(url.indexOf("?") + 1);
    expect(query).not.toMatch(/[()*!' ]/);
    expect(new URLSearchParams(query).get("starting_after")).toBe("Tudor (Black Bay)*!'&=");
    expect(query).toContain("starting_after=Tudor%20%28Black%20Bay%29%2A%21%27%26%3D");
    expect(new URLSearchParams(query).get("limit")).toBe("5");
  });
});
