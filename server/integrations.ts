/**
 * Integrations and their API keys: created by operators (CLI, or the demo bootstrap), never
 * through the public API. Keys are shown once; only their sha256 is stored, and lookups compare
 * hashes in constant time.
 */
import crypto from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, IntegrationsTable } from "./db/schema.ts";
import type { Clock, Random } from "./deps.ts";
import { base62, newId } from "./ids.ts";

export type Mode = "test" | "live";

export interface Integration {
  id: string;
  object: "integration";
  name: string;
  mode: Mode;
  api_version: string;
  created_at: string;
}

export interface ApiKeyInfo {
  id: string;
  /** The non-secret beginning of the key, so an operator can tell keys apart. */
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

const KEY_PATTERN = /^wth_(test|live)_([0-9A-Za-z]{32})$/;
const LOOKUP_LENGTH = "wth_test_".length + 8;

export function hashKey(key: string): string {
  return crypto.createHash("sha256").update(key, "utf8").digest("hex");
}

export function integrationFromRow(row: Omit<IntegrationsTable, "seq">): Integration {
  return {
    id: row.id,
    object: "integration",
    name: row.name,
    mode: row.mode,
    api_version: row.api_version,
    created_at: row.created_at,
  };
}

export class IntegrationError extends Error {}

export interface KeyedDeps {
  db: Kysely<Database>;
  clock: Clock;
  random: Random;
}

async function insertKey(
  deps: KeyedDeps,
  integrationId: string,
  mode: Mode,
): Promise<{ key: string; info: ApiKeyInfo }> {
  const key = `wth_${mode}_${base62(deps.random, 32)}`;
  const info: ApiKeyInfo = {
    id: newId(deps.random, "key"),
    prefix: key.slice(0, LOOKUP_LENGTH),
    created_at: deps.clock.now().toISOString(),
    revoked_at: null,
  };
  await deps.db
    .insertInto("api_keys")
    .values({
      id: info.id,
      integration_id: integrationId,
      lookup: info.prefix,
      hash: hashKey(key),
      created_at: info.created_at,
      revoked_at: null,
    })
    .execute();
  return { key, info };
}

export async function createIntegration(
  deps: KeyedDeps,
  input: { name: string; mode: Mode; apiVersion: string },
): Promise<{ integration: Integration; apiKey: string; key: ApiKeyInfo }> {
  if (input.name.trim() === "" || input.name.length > 200) {
    throw new IntegrationError("name must be 1–200 characters");
  }
  const row = {
    id: newId(deps.random, "int"),
    name: input.name,
    mode: input.mode,
    api_version: input.apiVersion,
    created_at: deps.clock.now().toISOString(),
  };
  await deps.db.insertInto("integrations").values(row).execute();
  const { key, info } = await insertKey(deps, row.id, input.mode);
  return { integration: integrationFromRow(row), apiKey: key, key: info };
}

export async function listIntegrations(
  db: Kysely<Database>,
): Promise<Array<Integration & { keys: ApiKeyInfo[] }>> {
  const rows = await db.selectFrom("integrations").selectAll().orderBy("seq", "asc").execute();
  const keys = await db.selectFrom("api_keys").selectAll().orderBy("created_at", "asc").execute();
  return rows.map((row) => ({
    ...integrationFromRow(row),
    keys: keys
      .filter((k) => k.integration_id === row.id)
      .map((k) => ({
        id: k.id,
        prefix: k.lookup,
        created_at: k.created_at,
        revoked_at: k.revoked_at,
      })),
  }));
}

export async function getIntegration(
  db: Kysely<Database>,
  id: string,
): Promise<Integration | undefined> {
  const row = await db
    .selectFrom("integrations")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row === undefined ? undefined : integrationFromRow(row);
}

/** Moves an integration to a newer released version; older or unknown dates are refused. */
export async function rollIntegration(
  db: Kysely<Database>,
  id: string,
  to: string,
  released: (version: string) => boolean,
): Promise<Integration> {
  const current = await getIntegration(db, id);
  if (current === undefined) throw new IntegrationError(`no integration ${id}`);
  if (!released(to)) throw new IntegrationError(`${to} is not a released API version`);
  if (to < current.api_version) {
    throw new IntegrationError(
      `${id} is pinned to ${current.api_version}; cannot roll back to ${to}`,
    );
  }
  if (to === current.api_version) return current;
  await db.updateTable("integrations").set({ api_version: to }).where("id", "=", id).execute();
  return { ...current, api_version: to };
}

/** Issues a new key; with `revokeOthers`, every earlier key stops working at once. */
export async function rotateKey(
  deps: KeyedDeps,
  integrationId: string,
  opts: { revokeOthers: boolean },
): Promise<{ apiKey: string; key: ApiKeyInfo; revoked: string[] }> {
  const integration = await getIntegration(deps.db, integrationId);
  if (integration === undefined) throw new IntegrationError(`no integration ${integrationId}`);
  const { key, info } = await insertKey(deps, integrationId, integration.mode);
  let revoked: string[] = [];
  if (opts.revokeOthers) {
    const others = await deps.db
      .selectFrom("api_keys")
      .select("id")
      .where("integration_id", "=", integrationId)
      .where("id", "!=", info.id)
      .where("revoked_at", "is", null)
      .execute();
    revoked = others.map((o) => o.id);
    if (revoked.length > 0) {
      await deps.db
        .updateTable("api_keys")
        .set({ revoked_at: deps.clock.now().toISOString() })
        .where("id", "in", revoked)
        .execute();
    }
  }
  return { apiKey: key, key: info, revoked };
}

export async function revokeKey(deps: KeyedDeps, keyId: string): Promise<ApiKeyInfo> {
  const row = await deps.db
    .selectFrom("api_keys")
    .selectAll()
    .where("id", "=", keyId)
    .executeTakeFirst();
  if (row === undefined) throw new IntegrationError(`no API key ${keyId}`);
  const revokedAt = row.revoked_at ?? deps.clock.now().toISOString();
  if (row.revoked_at === null) {
    await deps.db
      .updateTable("api_keys")
      .set({ revoked_at: revokedAt })
      .where("id", "=", keyId)
      .execute();
  }
  return { id: row.id, prefix: row.lookup, created_at: row.created_at, revoked_at: revokedAt };
}

/** The integration a presented key belongs to, or undefined for a malformed, unknown or revoked key. */
export async function findIntegrationByKey(
  db: Kysely<Database>,
  key: string,
): Promise<Integration | undefined> {
  return (await findApiKey(db, key))?.integration;
}

/** The integration a key belongs to, and the key's id; undefined when unknown or revoked. */
export async function findApiKey(
  db: Kysely<Database>,
  key: string,
): Promise<{ integration: Integration; keyId: string } | undefined> {
  if (!KEY_PATTERN.test(key)) return undefined;
  const presented = Buffer.from(hashKey(key), "hex");
  const candidates = await db
    .selectFrom("api_keys")
    .innerJoin("integrations", "integrations.id", "api_keys.integration_id")
    .select([
      "api_keys.id as key_id",
      "api_keys.hash",
      "api_keys.revoked_at",
      "integrations.id",
      "integrations.name",
      "integrations.mode",
      "integrations.api_version",
      "integrations.created_at",
    ])
    .where("api_keys.lookup", "=", key.slice(0, LOOKUP_LENGTH))
    .execute();
  let found: { integration: Integration; keyId: string } | undefined;
  for (const c of candidates) {
    // Every candidate is compared, so timing does not reveal which one matched.
    const match = crypto.timingSafeEqual(Buffer.from(c.hash, "hex"), presented);
    if (match && c.revoked_at === null) {
      found = { integration: integrationFromRow(c), keyId: c.key_id };
    }
  }
  return found;
}
