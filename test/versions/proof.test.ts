/**
 * The version proof on two small bundled documents: declarations that convert correctly pass;
 * a backwards converter, a converter that misses the nested object, a misspelled schema key and
 * a response enum value the old version lacks each fail, naming the version change, the schema,
 * the JSON pointer and the instance.
 */
import { describe, expect, it } from "vitest";
import { proveVersions, renderProof } from "../../scripts/versions/proof.ts";
import { chainProblems } from "../../server/versions/chain.ts";
import type { JsonObject, VersionBundle, VersionChange } from "../../server/versions/change.ts";
import { enumOf, schema } from "../../server/versions/declarations.ts";
import { renameField } from "../../server/versions/fields.ts";

const OLD = "2026-05-07";
const NEW = "2026-09-01";

function documentFor(version: string) {
  const isNew = version === NEW;
  const tracking = isNew ? "tracking_code" : "tracking_number";
  const amount = isNew ? "total_amount" : "amount";
  const shipping = {
    type: "object",
    required: ["carrier", tracking],
    additionalProperties: false,
    properties: { carrier: { type: "string" }, [tracking]: { type: "string" } },
  };
  const status = { type: "string", enum: isNew ? ["paid", "on_hold"] : ["paid"] };
  const order = {
    type: "object",
    required: ["object", "id", amount, "status", "shipping"],
    additionalProperties: false,
    properties: {
      object: { type: "string", const: "order" },
      id: { type: "string", examples: ["ord_1"] },
      [amount]: { type: "integer", minimum: 1 },
      status: structuredClone(status),
      shipping: { oneOf: [structuredClone(shipping), { type: "null" }] },
    },
  };
  const example = {
    object: "order",
    id: "ord_1",
    [amount]: 900,
    status: "paid",
    shipping: { carrier: "DHL", [tracking]: "T1" },
  };
  const event = {
    type: "object",
    required: ["type", "data"],
    properties: {
      type: { type: "string" },
      data: { type: "object", properties: { object: structuredClone(order) } },
    },
  };
  const json = (schema: unknown, value?: unknown) => ({
    content: {
      "application/json": {
        schema: structuredClone(schema),
        ...(value === undefined ? {} : { examples: { shipped: { value } } }),
      },
    },
  });
  return {
    version,
    document: {
      openapi: "3.1.0",
      paths: {
        "/v1/orders/{id}": {
          get: { operationId: "getOrder", responses: { "200": json(order, example) } },
        },
        "/v1/orders/{id}/ship": {
          post: {
            operationId: "shipOrder",
            requestBody: json(shipping, { carrier: "DHL", [tracking]: "T1" }),
            responses: { "200": json(order) },
          },
        },
      },
      webhooks: {
        "order.shipped": {
          post: { requestBody: json(event, { type: "order.shipped", data: { object: example } }) },
        },
      },
      components: {
        schemas: { Order: order, OrderShipping: shipping, OrderStatus: status, Event: event },
      },
    },
  };
}

const versions = [documentFor(OLD), documentFor(NEW)];
const change = (over: Partial<VersionChange>): VersionChange => ({
  id: "order-changes",
  description: "Order changes.",
  migration: "Follow them.",
  ...over,
});
const bundleOf = (...changes: VersionChange[]): VersionBundle => [{ version: NEW, changes }];

const good = [
  schema("Order").field("total_amount").had({ name: "amount" }),
  schema("OrderShipping").field("tracking_code").had({ name: "tracking_number" }),
];
const statusFolded = enumOf("OrderStatus").had({ paid: ["paid", "on_hold"] });

describe("the version proof", () => {
  it("when every change is declared, then every example and generated instance converts into the old document's shape, both ways", () => {
    const proof = proveVersions({
      versions,
      bundle: bundleOf(change({ declarations: [...good, statusFolded] })),
    });
    expect(renderProof(proof)).toBe("");
    expect(proof.ok).toBe(true);
    expect(proof.checked).toBeGreaterThan(10);
  });

  it("when a converter runs backwards, then the proof fails naming the change, the schema, the pointer and the example", () => {
    const backwards = change({
      id: "order-amount-backwards",
      declarations: [good[1] as never, statusFolded],
      response: { Order: (o) => renameField(o, "amount", "total_amount") },
    });
    const proof = proveVersions({ versions, bundle: bundleOf(backwards) });
    expect(proof.ok).toBe(false);
    const report = renderProof(proof);
    expect(report).toContain(
      "PROOF FAILS  2026-05-07  getOrder 200 Order: Order /amount: must have required property 'amount'",
    );
    expect(report).toContain(
      'converted by: version change order-amount-backwards (2026-09-01); instance: example "shipped"',
    );
  });

  it("when the nested object's rename is keyed on the parent and never reaches it, then the nested pointer fails", () => {
    const topOnly = change({
      id: "tracking-keyed-on-order",
      declarations: [good[0] as never, statusFolded],
      response: {
        Order: (o: JsonObject) => renameField(o, "tracking_code", "tracking_number"),
      },
    });
    const report = renderProof(proveVersions({ versions, bundle: bundleOf(topOnly) }));
    expect(report).toMatch(
      /getOrder 200 Order: OrderShipping \/shipping\/tracking_number: must have required property 'tracking_number'/,
    );
    expect(report).toContain("webhook order.shipped");
  });

  it("when a converter is keyed by a misspelled schema, then the chain check names it and the proof fails", () => {
    const misspelled = change({
      id: "tracking-misspelled",
      declarations: [good[0] as never, statusFolded],
      response: { OrderShiping: (o) => renameField(o, "tracking_code", "tracking_number") },
    });
    expect(chainProblems(bundleOf(misspelled), versions)).toContain(
      'version change "tracking-misspelled" (2026-09-01): its response converter names schema "OrderShiping", which 2026-09-01 does not have',
    );
    const proof = proveVersions({ versions, bundle: bundleOf(misspelled) });
    expect(renderProof(proof)).toMatch(/OrderShipping \/shipping\/tracking_number/);
  });

  it("when the newest can send an enum value the old document lacks and nothing maps it, then it is an uncovered finding", () => {
    const proof = proveVersions({ versions, bundle: bundleOf(change({ declarations: good })) });
    expect(renderProof(proof)).toContain(
      'UNCOVERED ENUM  2026-05-07  getOrder 200 Order: OrderStatus /status: 2026-09-01 can send "on_hold", which 2026-05-07\'s document does not have',
    );
  });

  it("when an old pin's request is upgraded by the wrong field, then the request fails against the newest document", () => {
    const wrongUp = change({
      id: "ship-request-not-upgraded",
      declarations: [good[0] as never, statusFolded],
      response: { OrderShipping: (o) => renameField(o, "tracking_code", "tracking_number") },
    });
    const report = renderProof(proveVersions({ versions, bundle: bundleOf(wrongUp) }));
    expect(report).toMatch(
      /shipOrder request: OrderShipping \/tracking_number: must NOT have additional properties in 2026-09-01's document/,
    );
    expect(report).toContain('example "shipped" of 2026-05-07');
  });
});
