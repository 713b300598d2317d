/**
 * What an integration has and used: its API keys (prefixes, last use) and its API version
 * summary (pinned, available, and what rolling forward would change for it). The console
 * reads both; they are public operations like any other.
 */
import type { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { operationsOn } from "../http/operation.ts";
import type { RouteModule } from "../http/route-module.ts";
import { firstKeptDay, operationsUsedSince } from "./recorder.ts";
import { keepUsed, RollForwardFiles } from "./roll-forward.ts";

function register(router: Router, deps: AppDeps): void {
  const usage = deps.usage;
  const files = new RollForwardFiles(deps.settings.generatedDir);
  const operation = operationsOn(router);

  operation("retrieveApiKeySummary", async ({ integration }) => {
    const rows = await deps.db
      .selectFrom("api_keys")
      .select(["id", "lookup", "created_at", "last_used_at", "revoked_at"])
      .where("integration_id", "=", integration.id)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return {
      object: "api_key_summary" as const,
      keys: rows.map((r) => ({
        id: r.id,
        object: "api_key" as const,
        prefix: r.lookup,
        created_at: r.created_at,
        last_used_at: r.last_used_at,
        revoked_at: r.revoked_at,
      })),
    };
  });

  operation("retrieveApiVersionSummary", async ({ integration }) => {
    // This instance's latest counts first, so a console shows the calls just made.
    await usage?.flush();
    const since = firstKeptDay(deps.clock.now());
    const operations = await operationsUsedSince(deps.db, integration.id, since);
    const eventTypes = (
      await deps.db
        .selectFrom("events")
        .select("type")
        .distinct()
        .where("integration_id", "=", integration.id)
        .where("created_at", ">=", `${since}T00:00:00.000Z`)
        .execute()
    )
      .map((r) => r.type)
      .sort();
    const usedOps = new Set(operations.keys());
    const usedTypes = new Set<string>(eventTypes);
    const pinned = integration.api_version;
    return {
      object: "api_version_summary" as const,
      pinned,
      usage_since: since,
      used_operations: [...operations]
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .map(([operation_id, count]) => ({ operation_id, count })),
      used_event_types: eventTypes,
      versions: deps.versions.entries
        .filter((e) => e.status === "released")
        .map((e) => ({
          version: e.version,
          pinned: e.version === pinned,
          roll_forward:
            e.version > pinned
              ? keepUsed(files.findings(pinned, e.version), usedOps, usedTypes)
              : null,
        })),
    };
  });
}

export const usageModule: RouteModule = { name: "usage", register };
