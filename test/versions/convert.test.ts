import { describe, expect, it } from "vitest";
import type { JsonObject, VersionBundle } from "../../server/versions/change.ts";
import { createConverter } from "../../server/versions/convert.ts";
import { mapValue, renameField, replaceField, withDefault } from "../../server/versions/fields.ts";

const trail = (tag: string) => (o: JsonObject) => ({
  ...o,
  trail: [...((o.trail as string[] | undefined) ?? []), tag],
});

/** Three versions after the first, each leaving a trace so that the order is visible. */
const bundle: VersionBundle = [
  {
    version: "2026-06-01",
    changes: [
      {
        id: "a",
        description: "a",
        migration: "",
        answers: ["x"],
        request: { createOrder: trail("up-06") },
        response: { Order: trail("down-06") },
        error: {
          "*": (e) => ({
            error: { ...e.error, seen: [...((e.error.seen as string[]) ?? []), "06"] },
          }),
        },
      },
    ],
  },
  {
    version: "2026-07-01",
    changes: [
      {
        id: "b",
        description: "b",
        migration: "",
        answers: ["x"],
        request: { createOrder: trail("up-07") },
        response: { Order: trail("down-07"), Listing: trail("listing-07") },
      },
    ],
  },
  {
    version: "2026-08-01",
    changes: [
      {
        id: "c",
        description: "c",
        migration: "",
        answers: ["x"],
        request: { createOrder: trail("up-08") },
        response: { Order: trail("down-08") },
        error: {
          createOrder: (e) => ({
            error: { ...e.error, seen: [...((e.error.seen as string[]) ?? []), "08"] },
          }),
        },
      },
    ],
  },
];

describe("converting between versions", () => {
  const c = createConverter(bundle);

  it.each([
    ["2026-05-07", ["down-08", "down-07", "down-06"]],
    ["2026-06-01", ["down-08", "down-07"]],
    ["2026-07-01", ["down-08"]],
  ])(
    "when an object is rendered for %s, then the changes after it run newest first",
    (version, want) => {
      expect(c.renderForVersion(version, "Order", { id: "ord_1" }).trail).toEqual(want);
    },
  );

  it("when a request comes from 2026-05-07, then the changes run oldest first up to the newest", () => {
    expect(c.upgradeRequest("2026-05-07", "createOrder", {}).trail).toEqual([
      "up-06",
      "up-07",
      "up-08",
    ]);
    expect(c.upgradeRequest("2026-07-01", "createOrder", {}).trail).toEqual(["up-08"]);
  });

  it("when the version is the newest, or a schema or operation has no converter, then the very same object comes back", () => {
    const o = { id: "x" };
    expect(c.renderForVersion("2026-08-01", "Order", o)).toBe(o);
    expect(c.renderForVersion("2026-05-07", "Customer", o)).toBe(o);
    expect(c.upgradeRequest("2026-05-07", "createCustomer", o)).toBe(o);
    expect(createConverter([]).renderForVersion("2026-05-07", "Order", o)).toBe(o);
  });

  it("when asked whether an object renders differently, then only a version with a converter for that schema says so", () => {
    expect(c.rendersDifferently("2026-05-07", "Order")).toBe(true);
    expect(c.rendersDifferently("2026-07-01", "Order")).toBe(true);
    expect(c.rendersDifferently("2026-08-01", "Order")).toBe(false);
    expect(c.rendersDifferently("2026-05-07", "Customer")).toBe(false);
    expect(createConverter([]).rendersDifferently("2026-05-07", "Order")).toBe(false);
  });

  it("when an error is rendered for an old version, then operation-specific and catch-all converters both run, newest first", () => {
    const body = { error: { code: "parameter_missing", message: "m", request_id: "req_1" } };
    expect(c.renderErrorForVersion("2026-05-07", "createOrder", body).error.seen).toEqual([
      "08",
      "06",
    ]);
    expect(c.renderErrorForVersion("2026-05-07", undefined, body).error.seen).toEqual(["06"]);
    expect(c.renderErrorForVersion("2026-08-01", "createOrder", body)).toBe(body);
  });
});

describe("converter helpers", () => {
  it("when a field is renamed or replaced, then its position is kept and the input is untouched", () => {
    const o = { id: "1", total_amount: 5, currency: "EUR" };
    expect(Object.keys(renameField(o, "total_amount", "amount"))).toEqual([
      "id",
      "amount",
      "currency",
    ]);
    expect(
      replaceField(
        { a: 1, c: { reason: "r" } },
        "c",
        "c_reason",
        (v) => (v as { reason: string }).reason,
      ),
    ).toEqual({ a: 1, c_reason: "r" });
    expect(o).toEqual({ id: "1", total_amount: 5, currency: "EUR" });
  });

  it("when an enum value is mapped or a default is filled, then only that field changes", () => {
    expect(mapValue({ condition: "for_parts" }, "condition", { for_parts: "fair" })).toEqual({
      condition: "fair",
    });
    expect(mapValue({ condition: "good" }, "condition", { for_parts: "fair" })).toEqual({
      condition: "good",
    });
    expect(withDefault({ name: "A" }, "phone", null)).toEqual({ name: "A", phone: null });
    expect(withDefault({ phone: "1" }, "phone", null)).toEqual({ phone: "1" });
  });
});
