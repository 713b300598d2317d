import express from "express";
import { describe, expect, it } from "vitest";
import { operationsOn } from "../../server/http/operation.ts";

describe("registering handlers by operationId", () => {
  it("when an operation is registered twice on one router, then registration fails naming it", () => {
    const operation = operationsOn(express.Router());
    const handler = () => ({ object: "test_reset" as const, deleted: zeroCounts() });
    operation("resetTestData", handler);
    expect(() => operation("resetTestData", handler)).toThrow(
      "operation resetTestData is registered twice",
    );
  });

  it("when an operation is registered, then it is routed at the document's method and path", () => {
    const router = express.Router();
    operationsOn(router)("retrieveListing", () => {
      throw new Error("not called");
    });
    const routes = router.stack.map((layer) => ({
      path: layer.route?.path,
      methods: Object.keys((layer.route as { methods?: object } | undefined)?.methods ?? {}),
    }));
    expect(routes).toEqual([{ path: "/v1/listings/:listing_id", methods: ["get"] }]);
  });
});

function zeroCounts() {
  return { listings: 0, customers: 0, orders: 0, events: 0, webhook_endpoints: 0 };
}
