/**
 * Keyset pagination over `seq`, newest first. A cursor names the last item's `seq`, sealed
 * (AES-256-GCM) together with the integration, the list and a digest of its filters as
 * associated data: a client cannot read the `seq` (a platform-wide counter that would reveal
 * how many rows every tenant writes), and a forged, altered, foreign or differently-filtered
 * cursor is refused with `invalid_cursor`. Items inserted during iteration get a higher `seq`,
 * so they never shift the pages being read.
 */
import crypto from "node:crypto";
import { type SelectQueryBuilder, sql } from "kysely";
import { ApiError } from "./errors.ts";

/** Sealed cursors. */
const FORMAT = "c2";
/**
 * Signed-only cursors, issued before sealing: still read, so that a client paging through a
 * list across the upgrade is not cut off; never issued any more.
 */
const SIGNED_FORMAT = "c1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface CursorScope {
  integrationId: string;
  /** Names the list, e.g. `listings` or `events:evt_…/deliveries`. */
  list: string;
  /** The list's filters after normalisation; limit and starting_after excluded. */
  filters: Record<string, string | number | boolean | undefined>;
}

export interface ListParams {
  limit: number;
  /** `seq` of the last item already seen, or undefined for the first page. */
  afterSeq: number | undefined;
}

export interface Page<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

function filterDigest(filters: CursorScope["filters"]): string {
  const entries = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return crypto
    .createHash("sha256")
    .update(JSON.stringify(entries))
    .digest("base64url")
    .slice(0, 16);
}

function sign(secret: Buffer, scope: CursorScope, payload: string): string {
  return crypto
    .createHmac("sha256", secret)
    .update(
      `${SIGNED_FORMAT}\n${scope.integrationId}\n${scope.list}\n${filterDigest(scope.filters)}\n${payload}`,
    )
    .digest("base64url")
    .slice(0, 32);
}

interface CursorKeys {
  seal: Buffer;
  nonce: Buffer;
}

const keysBySecret = new WeakMap<Buffer, CursorKeys>();

/** Keys of their own for cursors, derived from the server secret once per secret. */
function cursorKeys(secret: Buffer): CursorKeys {
  let keys = keysBySecret.get(secret);
  if (keys === undefined) {
    keys = {
      seal: Buffer.from(crypto.hkdfSync("sha256", secret, "wth", "cursor-sealing", 32)),
      nonce: Buffer.from(crypto.hkdfSync("sha256", secret, "wth", "cursor-nonce", 32)),
    };
    keysBySecret.set(secret, keys);
  }
  return keys;
}

function associatedData(scope: CursorScope): Buffer {
  return Buffer.from(
    `${FORMAT}\n${scope.integrationId}\n${scope.list}\n${filterDigest(scope.filters)}`,
    "utf8",
  );
}

/**
 * The nonce is an HMAC of the associated data and the plaintext (a synthetic IV): the same
 * nonce only ever seals the same message, which GCM tolerates, and no randomness is needed.
 */
export function encodeCursor(secret: Buffer, scope: CursorScope, seq: number): string {
  const keys = cursorKeys(secret);
  const aad = associatedData(scope);
  const plaintext = Buffer.alloc(8);
  plaintext.writeBigUInt64BE(BigInt(seq));
  const iv = crypto
    .createHmac("sha256", keys.nonce)
    .update(aad)
    .update(plaintext)
    .digest()
    .subarray(0, IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", keys.seal, iv);
  cipher.setAAD(aad);
  const sealed = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `${FORMAT}.${sealed.toString("base64url")}`;
}

function openSealed(secret: Buffer, scope: CursorScope, data: string): number | undefined {
  const raw = Buffer.from(data, "base64url");
  if (raw.length !== IV_BYTES + 8 + TAG_BYTES || raw.toString("base64url") !== data) {
    return undefined;
  }
  const decipher = crypto.createDecipheriv(
    "aes-256-gcm",
    cursorKeys(secret).seal,
    raw.subarray(0, IV_BYTES),
  );
  decipher.setAAD(associatedData(scope));
  decipher.setAuthTag(raw.subarray(IV_BYTES + 8));
  try {
    const plain = Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES, IV_BYTES + 8)),
      decipher.final(),
    ]);
    const seq = plain.readBigUInt64BE();
    return seq <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seq) : undefined;
  } catch {
    return undefined;
  }
}

function openSigned(
  secret: Buffer,
  scope: CursorScope,
  payload: string,
  mac: string,
): number | undefined {
  const expected = Buffer.from(sign(secret, scope, payload));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
    return undefined;
  try {
    const seq = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { s?: unknown })
      .s;
    return typeof seq === "number" && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
  } catch {
    return undefined;
  }
}

export function decodeCursor(secret: Buffer, scope: CursorScope, cursor: string): number {
  const parts = cursor.split(".");
  let seq: number | undefined;
  if (parts[0] === FORMAT && parts.length === 2 && parts[1] !== undefined) {
    seq = openSealed(secret, scope, parts[1]);
  } else if (parts[0] === SIGNED_FORMAT && parts.length === 3) {
    seq = openSigned(secret, scope, parts[1] as string, parts[2] as string);
  }
  if (seq === undefined) {
    throw new ApiError(
      "invalid_cursor",
      "starting_after is not a cursor this integration got from this list with these filters.",
      "starting_after",
    );
  }
  return seq;
}

/** Reads `limit` and `starting_after` from a validated query. */
export function listParams(
  secret: Buffer,
  scope: CursorScope,
  query: Record<string, unknown>,
): ListParams {
  const rawLimit = query.limit;
  const limit = rawLimit === undefined ? 20 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new ApiError("parameter_invalid", "limit must be an integer from 1 to 100.", "limit");
  }
  const after = query.starting_after;
  if (after !== undefined && typeof after !== "string") {
    throw new ApiError("parameter_invalid", "starting_after must be a string.", "starting_after");
  }
  return { limit, afterSeq: after === undefined ? undefined : decodeCursor(secret, scope, after) };
}

/**
 * The part every list shares, applied to a query on one table with `created_at` and `seq`:
 * the created range, the position after the cursor, newest first, and one row more than the
 * page so that `toPage` knows whether there is more.
 */
export function newestFirstPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filters: { created_gte?: unknown; created_lt?: unknown },
  afterSeq: number | undefined,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  let q = query;
  if (typeof filters.created_gte === "string") {
    q = q.where(sql.ref("created_at"), ">=", filters.created_gte);
  }
  if (typeof filters.created_lt === "string") {
    q = q.where(sql.ref("created_at"), "<", filters.created_lt);
  }
  if (afterSeq !== undefined) q = q.where(sql.ref("seq"), "<", afterSeq);
  return q.orderBy(sql.ref("seq"), "desc").limit(limit + 1);
}

/** Turns `limit + 1` rows (newest first) into a page. */
export function toPage<Row extends { seq: number }, T>(
  secret: Buffer,
  scope: CursorScope,
  rows: Row[],
  limit: number,
  render: (row: Row) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    object: "list",
    data: pageRows.map(render),
    has_more: hasMore,
    next_cursor: hasMore && last !== undefined ? encodeCursor(secret, scope, last.seq) : null,
  };
}

/** Normalises a date-time filter so that it compares correctly with stored ISO strings. */
export function isoFilter(value: unknown, param: string): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    throw new ApiError("parameter_invalid", `${param} must be an RFC 3339 date-time.`, param);
  }
  return date.toISOString();
}

/** A list endpoint's request, for `readNewestFirst`. */
export interface ListRequest<DB, TB extends keyof DB, Row> {
  secret: Buffer;
  integrationId: string;
  /** Names the list in its cursors, e.g. `listings`. */
  list: string;
  /** The validated query string. */
  query: Record<string, unknown>;
  /** The list's equality filters: query parameter → the column it must equal. */
  equals: Record<string, string>;
  /** The integration's rows of the listed table. */
  rows: SelectQueryBuilder<DB, TB, Row>;
}

/**
 * One page of a list endpoint: its equality filters, the created range, the cursor, newest
 * first. The filters' names are the query parameters', so they are what the cursor signs.
 */
export async function readNewestFirst<DB, TB extends keyof DB, Row extends { seq: number }, T>(
  request: ListRequest<DB, TB, Row>,
  render: (row: Row) => T,
): Promise<Page<T>> {
  const { secret, query } = request;
  const filters: CursorScope["filters"] = {};
  for (const name of Object.keys(request.equals)) filters[name] = query[name] as string | undefined;
  filters.created_gte = isoFilter(query.created_gte, "created_gte");
  filters.created_lt = isoFilter(query.created_lt, "created_lt");
  const scope = { integrationId: request.integrationId, list: request.list, filters };
  const { limit, afterSeq } = listParams(secret, scope, query);
  let q = request.rows;
  for (const [name, column] of Object.entries(request.equals)) {
    const value = filters[name];
    if (value !== undefined) q = q.where(sql.ref(column), "=", value);
  }
  const rows = (await newestFirstPage(q, filters, afterSeq, limit).execute()) as Row[];
  return toPage(secret, scope, rows, limit, render);
}
