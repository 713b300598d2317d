import express from "express";
import { describe, expect, it } from "vitest";
import { SERVED_OPERATIONS } from "../../generated/newest.ts";
import type { AppDeps } from "../../server/deps.ts";
import { type OperationId, operationsOn } from "../../server/http/operation.ts";
import { registerWebhookRoutes } from "../../server/webhooks/routes.ts";

const WEBHOOK_OPERATIONS = [
  "createWebhookEndpoint",
  "listWebhookEndpoints",
  "retrieveWebhookEndpoint",
  "updateWebhookEndpoint",
  "deleteWebhookEndpoint",
  "rotateWebhookEndpointSecret",
  "listEndpointDeliveries",
  "listDeadLetters",
  "recoverDeadLetters",
  "replayEvent",
  "listEventDeliveries",
  "retrieveWebhookDelivery",
] as const satisfies readonly OperationId[];

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

describe("the webhook routes", () => {
  it("when they are registered, then each is routed by operationId at the document's method and path, and none can be registered again", () => {
    const router = express.Router();
    // Registration reads only the secret key and the random source; the database is used per request.
    const deps = {
      secretKey: Buffer.alloc(32, 7),
      random: { bytes: (n: number) => Buffer.alloc(n) },
      clock: { now: () => new Date(0) },
    } as unknown as AppDeps;
    registerWebhookRoutes(router, deps, { allowPrivate: false, checkBodies: true });
    const routes = router.stack.map((layer) => ({
      path: layer.route?.path,
      methods: Object.keys((layer.route as { methods?: object } | undefined)?.methods ?? {}),
    }));
    expect(routes).toEqual(
      WEBHOOK_OPERATIONS.map((id) => ({
        path: SERVED_OPERATIONS[id].path.replace(/\{([^}]+)\}/g, ":$1"),
        methods: [SERVED_OPERATIONS[id].method],
      })),
    );
    const operation = operationsOn(router);
    for (const id of WEBHOOK_OPERATIONS) {
      expect(() => operation(id, () => Promise.reject(new Error("not called")))).toThrow(
        `operation ${id} is registered twice`,
      );
    }
  });
});

function zeroCounts() {
  return { listings: 0, customers: 0, orders: 0, events: 0, webhook_endpoints: 0 };
}
