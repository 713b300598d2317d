/**
 * `wth integrations`: the operator's tool for integrations and their API keys. Keys are
 * printed once, at creation or rotation, and never again.
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../../../server/config.ts";
import { openDatabase } from "../../../server/db/connection.ts";
import { migrateToLatest } from "../../../server/db/migrate.ts";
import { systemClock, systemRandom } from "../../../server/deps.ts";
import {
  createIntegration,
  IntegrationError,
  listIntegrations,
  type Mode,
  revokeKey,
  rollIntegration,
  rotateKey,
} from "../../../server/integrations.ts";
import { loadVersionRegistry } from "../../../server/versions/registry.ts";
import type { Command } from "../main.ts";

const USAGE = `usage: wth integrations <action> [options]

actions:
  create --name NAME [--mode test|live] [--json]   create an integration; prints its key once
  list [--json]                                    list integrations and their keys (prefixes only)
  roll --id INT_ID --to YYYY-MM-DD [--json]        pin an integration to a newer released version
  rotate-key --id INT_ID [--revoke-old] [--json]   issue a new key; --revoke-old revokes the others now
  revoke-key --key KEY_ID [--json]                 revoke one key at once

Reads DATA_DIR (default ./data) like the server.
`;

function out(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

export const command: Command = {
  summary: "create, list and roll integrations; rotate and revoke API keys",
  async run(args) {
    const [action, ...rest] = args;
    if (action === undefined || action === "--help" || action === "-h" || action === "help") {
      process.stdout.write(USAGE);
      return action === undefined ? 2 : 0;
    }
    let values: Record<string, string | boolean | undefined>;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: {
          name: { type: "string" },
          mode: { type: "string", default: "test" },
          id: { type: "string" },
          to: { type: "string" },
          key: { type: "string" },
          "revoke-old": { type: "boolean", default: false },
          json: { type: "boolean", default: false },
        },
        strict: true,
      }));
    } catch (err) {
      process.stderr.write(`wth integrations: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const json = values.json === true;
    const config = loadConfig();
    const handle = openDatabase({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      poolSize: config.databasePoolSize,
      applicationName: "wth integrations",
    });
    try {
      await migrateToLatest(handle.db);
      const deps = { db: handle.db, clock: systemClock, random: systemRandom };
      switch (action) {
        case "create": {
          const name = values.name;
          const mode = values.mode;
          if (typeof name !== "string") throw new IntegrationError("--name is required");
          if (mode !== "test" && mode !== "live")
            throw new IntegrationError("--mode must be test or live");
          const versions = loadVersionRegistry();
          const { integration, apiKey, key } = await createIntegration(deps, {
            name,
            mode: mode as Mode,
            apiVersion: versions.newest,
          });
          out(
            json,
            { ...integration, api_key: apiKey, key_id: key.id },
            `Created ${integration.id} "${integration.name}" (${integration.mode}, API version ${integration.api_version}).\nAPI key (shown only once): ${apiKey}`,
          );
          return 0;
        }
        case "list": {
          const all = await listIntegrations(handle.db);
          out(
            json,
            all,
            all.length === 0
              ? "No integrations."
              : all
                  .map(
                    (i) =>
                      `${i.id}  ${i.mode.padEnd(4)}  ${i.api_version}  ${i.name}\n${i.keys
                        .map(
                          (k) =>
                            `    ${k.id}  ${k.prefix}…  ${k.revoked_at === null ? "active" : `revoked ${k.revoked_at}`}`,
                        )
                        .join("\n")}`,
                  )
                  .join("\n"),
          );
          return 0;
        }
        case "roll": {
          if (typeof values.id !== "string" || typeof values.to !== "string") {
            throw new IntegrationError("--id and --to are required");
          }
          const versions = loadVersionRegistry();
          const integration = await rollIntegration(
            handle.db,
            values.id,
            values.to,
            versions.isReleased,
          );
          out(json, integration, `${integration.id} is pinned to ${integration.api_version}.`);
          return 0;
        }
        case "rotate-key": {
          if (typeof values.id !== "string") throw new IntegrationError("--id is required");
          const { apiKey, key, revoked } = await rotateKey(deps, values.id, {
            revokeOthers: values["revoke-old"] === true,
          });
          out(
            json,
            { integration: values.id, api_key: apiKey, key_id: key.id, revoked },
            `New key ${key.id} for ${values.id} (shown only once): ${apiKey}${revoked.length > 0 ? `\nRevoked: ${revoked.join(", ")}` : ""}`,
          );
          return 0;
        }
        case "revoke-key": {
          if (typeof values.key !== "string") throw new IntegrationError("--key is required");
          const key = await revokeKey(deps, values.key);
          out(json, key, `Revoked ${key.id} (${key.prefix}…) at ${key.revoked_at}.`);
          return 0;
        }
        default:
          process.stderr.write(`wth integrations: unknown action "${action}"\n\n${USAGE}`);
          return 2;
      }
    } catch (err) {
      if (err instanceof IntegrationError) {
        process.stderr.write(`wth integrations: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      await handle.close();
    }
  },
};
