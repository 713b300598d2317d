import { describe, expect, it } from "vitest";
import type { JsonObject, VersionBundle } from "../../server/versions/change.ts";
import { ConversionError, createConverter } from "../../server/versions/convert.ts";
import { mapValue, renameField } from "../../server/versions/fields.ts";

/** A small bundled (dereferenced) document: schemas inlined wherever they are used. */
function documentWith(shippingField: string) {
  const shipping = {
    type: "object",
    required: ["carrier", shippingField],
    properties: { carrier: { type: "string" }, [shippingField]: { type: "string" } },
  };
  const condition = { type: "string", enum: ["good", "needs_service", "for_parts"] };
  const order = {
    type: "object",
    properties: {
      object: { type: "string", const: "order" },
      id: { type: "string" },
      shipping: { oneOf: [structuredClone(shipping), { type: "null" }] },
      history: { type: "array", items: structuredClone(shipping) },
    },
  };
  const listing = {
    type: "object",
    properties: {
      object: { type: "string", const: "listing" },
      condition: structuredClone(condition),
      extras: {
        allOf: [{ type: "object", properties: { condition: structuredClone(condition) } }],
      },
    },
  };
  const error = {
    type: "object",
    properties: {
      error: {
        type: "object",
        properties: { code: { type: "string" }, param: { type: "string" } },
      },
    },
  };
  return {
    openapi: "3.1.0",
    paths: {
      "/v1/orders/{id}/ship": {
        post: {
          operationId: "shipOrder",
          requestBody: {
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: { shipping: structuredClone(shipping) },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        OrderShipping: shipping,
        ListingCondition: condition,
        Order: order,
        Listing: listing,
        OrderList: {
          type: "object",
          properties: {
            object: { const: "list" },
            data: { type: "array", items: structuredClone(order) },
          },
        },
        Event: {
          type: "object",
          properties: {
            object: { type: "string", const: "event" },
            data: {
              type: "object",
              properties: {
                object: { oneOf: [structuredClone(listing), structuredClone(order)] },
              },
            },
          },
        },
        ErrorResponse: error,
      },
    },
  };
}

const OLD = "2026-05-07";
const NEW = "2026-09-01";
const docs: Record<string, Record<string, unknown>> = {
  [OLD]: documentWith("tracking_number"),
  [NEW]: documentWith("tracking_code"),
};

const bundle: VersionBundle = [
  {
    version: NEW,
    changes: [
      {
        id: "shipping-tracking-number-renamed",
        description: "OrderShipping tracking_number is renamed tracking_code.",
        migration: "Read tracking_code.",
        answers: ["response-property-renamed:OrderShipping.tracking_number"],
        response: { OrderShipping: (s) => renameField(s, "tracking_code", "tracking_number") },
        requestSchema: { OrderShipping: (s) => renameField(s, "tracking_number", "tracking_code") },
      },
      {
        id: "condition-split",
        description: "ListingCondition fair is split.",
        migration: "Accept both.",
        answers: ["response-enum-value-added:ListingCondition"],
        response: {
          ListingCondition: ((v: unknown) =>
            v === "needs_service" || v === "for_parts" ? "fair" : v) as unknown as (
            o: JsonObject,
          ) => JsonObject,
          ErrorResponse: (b) => ({
            ...b,
            error: mapValue(b.error as JsonObject, "code", { new_code: "old_code" }),
          }),
        },
      },
    ],
  },
];

describe("conversion follows the schema graph of the bundled documents", () => {
  const c = createConverter(bundle, (v) => docs[v]);
  const shipped = {
    object: "order",
    id: "ord_1",
    shipping: { carrier: "DHL", tracking_code: "T1" },
    history: [{ carrier: "UPS", tracking_code: "T0" }],
  };

  it("when an order holds a converted schema nested, in a oneOf and in an array, then every occurrence is converted and the input is untouched", () => {
    const before = structuredClone(shipped);
    const old = c.renderForVersion(OLD, "Order", shipped);
    expect(old.shipping).toEqual({ carrier: "DHL", tracking_number: "T1" });
    expect(old.history).toEqual([{ carrier: "UPS", tracking_number: "T0" }]);
    expect(shipped).toEqual(before);
    expect(c.renderForVersion(OLD, "Order", { ...shipped, shipping: null }).shipping).toBeNull();
    expect(c.rendersDifferently(OLD, "Order")).toBe(true);
    expect(c.rendersDifferently(NEW, "Order")).toBe(false);
  });

  it("when the object comes in a list page or an event envelope, then it is converted there too", () => {
    const page = c.renderForVersion(OLD, "OrderList", { object: "list", data: [shipped, shipped] });
    expect((page.data as JsonObject[]).map((o) => o.shipping)).toEqual([
      { carrier: "DHL", tracking_number: "T1" },
      { carrier: "DHL", tracking_number: "T1" },
    ]);
    const event = c.renderForVersion(OLD, "Event", {
      object: "event",
      data: {
        object: {
          object: "listing",
          condition: "for_parts",
          extras: { condition: "needs_service" },
        },
      },
    });
    expect((event.data as { object: JsonObject }).object).toEqual({
      object: "listing",
      condition: "fair",
      extras: { condition: "fair" },
    });
    const orderEvent = c.renderForVersion(OLD, "Event", {
      object: "event",
      data: { object: shipped },
    });
    expect((orderEvent.data as { object: JsonObject }).object.shipping).toEqual({
      carrier: "DHL",
      tracking_number: "T1",
    });
  });

  it("when an enum schema has a converter, then the value is mapped wherever the enum occurs", () => {
    expect(
      c.renderForVersion(OLD, "Listing", { object: "listing", condition: "needs_service" }),
    ).toEqual({
      object: "listing",
      condition: "fair",
    });
    expect(c.renderForVersion(OLD, "ListingCondition", "for_parts" as unknown as JsonObject)).toBe(
      "fair",
    );
  });

  it("when an error body's schema has a converter, then error bodies are converted by it", () => {
    const body = { error: { code: "new_code", message: "m", request_id: "req_1" } };
    expect(c.renderErrorForVersion(OLD, "shipOrder", body).error.code).toBe("old_code");
    expect(c.renderErrorForVersion(NEW, "shipOrder", body)).toBe(body);
  });

  it("when an old pin sends a request whose body holds a converted schema, then it is upgraded where it occurs", () => {
    expect(
      c.upgradeRequest(OLD, "shipOrder", { shipping: { carrier: "DHL", tracking_number: "T1" } }),
    ).toEqual({ shipping: { carrier: "DHL", tracking_code: "T1" } });
  });

  it("when a document a hop needs is missing, then conversion fails naming the file and the command", () => {
    const blind = createConverter(bundle, () => undefined);
    expect(() => blind.renderForVersion(OLD, "Order", shipped)).toThrow(
      /no bundled document for 2026-09-01 \(generated\/2026-09-01\/openapi.json\): run "wth generate"/,
    );
  });
});

describe("a conversion that fails says where", () => {
  const broken: VersionBundle = [
    {
      version: NEW,
      changes: [
        {
          id: "shipping-broken",
          description: "A converter that throws for one carrier.",
          migration: "None.",
          answers: ["response-property-renamed:OrderShipping.tracking_number"],
          response: {
            OrderShipping: (s) => {
              if (s.carrier === "UPS") throw new Error("no UPS in 2026-05-07 whsec_c2VjcmV0");
              return s;
            },
          },
        },
      ],
    },
  ];
  const c = createConverter(broken, (v) => docs[v]);
  const page = {
    object: "list",
    data: [
      { object: "order", id: "ord_1", shipping: { carrier: "DHL", tracking_code: "T1" } },
      { object: "order", id: "ord_2", history: [{ carrier: "DHL" }, { carrier: "UPS" }] },
    ],
  };

  it("when a nested converter throws inside a list page, then a ConversionError names the version, the schema, the JSON pointer and the change, and scrubs secrets", () => {
    let caught: unknown;
    try {
      c.renderForVersion(OLD, "OrderList", page);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConversionError);
    const e = caught as ConversionError;
    expect(e.logFields()).toEqual({
      api_version: OLD,
      schema: "OrderList",
      failed_schema: "OrderShipping",
      pointer: "/data/1/history/1",
      version_change: `shipping-broken (${NEW})`,
      reason: "Error: no UPS in 2026-05-07 whsec_[redacted]",
    });
  });

  it("when no converter throws, then the same plan renders as before", () => {
    const fine = { ...page, data: [page.data[0]] };
    expect(c.renderForVersion(OLD, "OrderList", fine)).toEqual(fine);
  });

  it("when a document a hop needs is missing, then the failure is a ConversionError too", () => {
    const blind = createConverter(broken, () => undefined);
    expect(() => blind.renderForVersion(OLD, "Order", page.data[0] as JsonObject)).toThrow(
      ConversionError,
    );
  });
});
