import type { Router } from "express";
import { operationsOn } from "../http/operation.ts";
import type { RouteModule } from "../http/route-module.ts";

function register(router: Router): void {
  const operation = operationsOn(router);
  operation("retrieveIntegration", ({ integration }) => ({ ...integration }));
}

export const integrationModule: RouteModule = { name: "integration", register };
