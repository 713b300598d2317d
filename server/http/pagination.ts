/**
 * Keyset pagination over `seq`, newest first. A cursor names the last item's `seq` and is
 * HMAC-signed together with the integration, the list and a digest of its filters, so a forged,
 * altered, foreign or differently-filtered cursor is refused with `invalid_cursor`. Items
 * inserted during iteration get a higher `seq`, so they never shift the pages being read.
 */
import crypto from "node:crypto";
import { type SelectQueryBuilder, sql } from "kysely";
import { ApiError } from "./errors.ts";

const FORMAT = "c1";

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
      `${FORMAT}\n${scope.integrationId}\n${scope.list}\n${filterDigest(scope.filters)}\n${payload}`,
    )
    .digest("base64url")
    .slice(0, 32);
}

export function encodeCursor(secret: Buffer, scope: CursorScope, seq: number): string {
  const payload = Buffer.from(JSON.stringify({ s: seq }), "utf8").toString("base64url");
  return `${FORMAT}.${payload}.${sign(secret, scope, payload)}`;
}

export function decodeCursor(secret: Buffer, scope: CursorScope, cursor: string): number {
  const invalid = new ApiError(
    "invalid_cursor",
    "starting_after is not a cursor this integration got from this list with these filters.",
    "starting_after",
  );
  const [format, payload, mac, ...rest] = cursor.split(".");
  if (format !== FORMAT || payload === undefined || mac === undefined || rest.length > 0)
    throw invalid;
  const expected = Buffer.from(sign(secret, scope, payload));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw invalid;
  let seq: unknown;
  try {
    seq = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { s?: unknown }).s;
  } catch {
    throw invalid;
  }
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) throw invalid;
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
