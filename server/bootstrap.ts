import type { Kysely } from "kysely";
import { withExclusiveLock } from "./db/dialects/index.ts";
import type { Database } from "./db/schema.ts";
import type { Clock, Random } from "./deps.ts";
import { createIntegration, type Integration } from "./integrations.ts";

/**
 * On an empty database, creates the test-mode demo integration and returns its key (shown
 * once by the caller). Returns undefined when any integration already exists.
 */
export async function ensureDemoIntegration(deps: {
  db: Kysely<Database>;
  clock: Clock;
  random: Random;
  apiVersion: string;
}): Promise<{ integration: Integration; apiKey: string } | undefined> {
  // Several instances may start at once on one empty database: exactly one creates it.
  return withExclusiveLock(deps.db, "wth:demo-integration", async (trx) => {
    const any = await trx.selectFrom("integrations").select("id").limit(1).executeTakeFirst();
    if (any !== undefined) return undefined;
    const { integration, apiKey } = await createIntegration(
      { ...deps, db: trx },
      { name: "Demo integration", mode: "test", apiVersion: deps.apiVersion },
    );
    return { integration, apiKey };
  });
}
