import type { Router } from "express";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { AppDeps } from "../deps.ts";

/**
 * A resource's routes. Routes are registered with their full path (`/v1/listings/:listing_id`)
 * and run after auth, rate limiting, body parsing, validation and idempotency.
 */
export interface RouteModule {
  name: string;
  register(router: Router, deps: AppDeps): void;
  /**
   * Deletes this module's test data of one integration inside the reset transaction (which
   * runs module resets first, then the core tables) and returns counts for the `deleted` map.
   */
  resetTestData?(trx: Kysely<Database>, integrationId: string): Promise<Record<string, number>>;
}
