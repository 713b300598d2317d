/**
 * A finding's `pointer` names where it is in each document: null on the side where the thing
 * does not exist, and for a rename the old name in the base and the new one in the revision.
 * The pairs are the rules' own cases, so the pointers below are those of the fixtures.
 */
import { describe, expect, it } from "vitest";
import { diffObjects } from "../../scripts/diff/diff.ts";
import { operation } from "../../scripts/diff/rules/fixtures.ts";
import { rules } from "../../scripts/diff/rules/index.ts";
import type { PointerPair } from "../../scripts/diff/types.ts";

/** The pointers of the one finding the rule's first case that shows only it produces. */
async function pointersOf(id: string): Promise<PointerPair[]> {
  const c = rules.find((r) => r.id === id)?.cases.find((x) => x.expect.join() === id);
  if (c === undefined) throw new Error(`${id} has no case showing only itself`);
  return (await diffObjects(c.before, c.after)).findings.map((f) => f.pointer);
}

const body = "requestBody/content/application~1json/schema";
const got = "responses/200/content/application~1json/schema";

const cases: { kind: string; rule: string; pointer: PointerPair }[] = [
  {
    kind: "an operation renamed (same operationId)",
    rule: "operation-renamed",
    pointer: { base: "/paths/~1v1~1things/get", revision: "/paths/~1v1~1items/get" },
  },
  {
    kind: "a webhook renamed",
    rule: "webhook-renamed",
    pointer: { base: "/webhooks/thing.done", revision: "/webhooks/thing.completed" },
  },
  {
    kind: "a query parameter renamed",
    rule: "parameter-renamed",
    pointer: {
      base: "/paths/~1v1~1things/get/parameters/query/brand",
      revision: "/paths/~1v1~1things/get/parameters/query/brand_name",
    },
  },
  {
    kind: "a request property renamed",
    rule: "request-property-renamed",
    pointer: {
      base: `/paths/~1v1~1things/post/${body}/properties/ref`,
      revision: `/paths/~1v1~1things/post/${body}/properties/reference`,
    },
  },
  {
    kind: "a response property renamed",
    rule: "response-property-renamed",
    pointer: {
      base: `/paths/~1v1~1things~1{thing_id}/get/${got}/properties/created`,
      revision: `/paths/~1v1~1things~1{thing_id}/get/${got}/properties/created_at`,
    },
  },
  {
    kind: "a response header renamed",
    rule: "response-header-renamed",
    pointer: {
      base: "/paths/~1v1~1things/post/responses/200/headers/Request-Id",
      revision: "/paths/~1v1~1things/post/responses/200/headers/X-Request-Id",
    },
  },
  {
    kind: "an error code renamed",
    rule: "error-code-renamed",
    pointer: {
      base: "/paths/~1v1~1things~1{thing_id}/get/responses/404/content/application~1json/schema/listing_sold",
      revision:
        "/paths/~1v1~1things~1{thing_id}/get/responses/404/content/application~1json/schema/listing_unavailable",
    },
  },
  {
    kind: "an operation added",
    rule: "operation-added",
    pointer: { base: null, revision: "/paths/~1v1~1things/get" },
  },
  {
    kind: "a response property added",
    rule: "response-property-added",
    pointer: { base: null, revision: `/paths/~1v1~1things~1{thing_id}/get/${got}/properties/b` },
  },
  {
    kind: "an operation removed",
    rule: "operation-removed",
    pointer: { base: "/paths/~1v1~1things/get", revision: null },
  },
  {
    kind: "a request property removed",
    rule: "request-property-removed",
    pointer: { base: `/paths/~1v1~1things/post/${body}/properties/b`, revision: null },
  },
  {
    kind: "a request keyword added (contains)",
    rule: "request-constraint-added",
    pointer: { base: null, revision: `/paths/~1v1~1things/post/${body}/properties/t/contains` },
  },
  {
    kind: "a request bound changed in place",
    rule: "request-max-decreased",
    pointer: {
      base: `/paths/~1v1~1things/post/${body}/properties/a/maxLength`,
      revision: `/paths/~1v1~1things/post/${body}/properties/a/maxLength`,
    },
  },
];

describe("the pointer of a finding in each document", () => {
  it.each(cases)(
    "when $kind, then the base and revision pointers are where it is on each side",
    async ({ rule, pointer }) => {
      expect(await pointersOf(rule)).toEqual([pointer]);
    },
  );

  it("when a webhook header is renamed, then the base names the old header and the revision the new one", async () => {
    const c = rules.find((r) => r.id === "response-header-renamed")?.cases[1];
    expect(c?.when).toContain("webhook header");
    const found = c === undefined ? [] : (await diffObjects(c.before, c.after)).findings;
    expect(found.map((f) => f.pointer)).toEqual([
      {
        base: "/webhooks/thing.created/post/parameters/header/webhook-id",
        revision: "/webhooks/thing.created/post/parameters/header/webhook-message-id",
      },
    ]);
  });
});

describe("the base pointer inside an operation paired under another path", () => {
  it("when a path parameter is renamed and a request bound changes, then the base pointer names the base's path", async () => {
    const op = (maxLength: number) => ({
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: { type: "object", properties: { a: { type: "string", maxLength } } },
          },
        },
      },
      responses: { "200": { description: "ok" } },
    });
    const result = await diffObjects(
      operation(op(100), "/v1/things/{id}", "post"),
      operation(op(50), "/v1/things/{thing_id}", "post"),
    );
    const f = result.findings.find((x) => x.rule === "request-max-decreased");
    expect(f?.pointer).toEqual({
      base: `/paths/~1v1~1things~1{id}/post/${body}/properties/a/maxLength`,
      revision: `/paths/~1v1~1things~1{thing_id}/post/${body}/properties/a/maxLength`,
    });
    expect(f?.location.pointer).toBe(f?.pointer.revision);
  });
});
