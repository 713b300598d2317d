import type { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { integrationOf } from "../http/context.ts";
import { sendObject } from "../http/respond.ts";
import type { RouteModule } from "../http/route-module.ts";

function register(router: Router, _deps: AppDeps): void {
  router.get("/v1/integration", (_req, res) => {
    sendObject(res, 200, "Integration", { ...integrationOf(res) });
  });
}

export const integrationModule: RouteModule = { name: "integration", register };
