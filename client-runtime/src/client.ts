/**
 * The typed client, generic over one version's `paths` and its error object. Each generated
 * package instantiates it once (`createClient`) with its own types, version and base URL.
 */
import createFetchClient, { type FetchResponse, type MaybeOptionalInit } from "openapi-fetch";
import { type ApiErrorShape, WthApiError, WthError, WthUnexpectedResponseError } from "./errors.ts";
import {
  type CallSettings,
  createTransport,
  type FetchLike,
  type VersionMismatch,
} from "./transport.ts";

/** The HTTP methods a client exposes. */
export type HttpMethod = "get" | "put" | "post" | "delete" | "patch";

/**
 * The shape openapi-typescript gives `paths`: an interface of path items, each listing every
 * method (absent ones as optional `never`). An interface has no index signature, hence `object`.
 */
export type PathMap = object;

/** The paths that accept method `M`. */
export type PathsWithMethod<Paths extends PathMap, M extends HttpMethod> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]: object } ? P : never;
}[keyof Paths] &
  string;

/** Options of one call, beyond the operation's `params` and `body`. */
export interface CallOptions {
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /**
   * The Idempotency-Key of a POST. Pass your own (e.g. derived from your order number) to make a
   * retry after a crash of your process safe too; otherwise the client generates one per call.
   */
  idempotencyKey?: string;
  /** Cancels the call, retries included. */
  signal?: AbortSignal;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

type RequiredKeysOf<T> = {
  [K in keyof T]-?: object extends Pick<T, K> ? never : K;
}[keyof T];

/** The second argument of a call: required when the operation has required params or a body. */
export type InitArg<Init> =
  RequiredKeysOf<Init> extends never ? [(Init & CallOptions)?] : [Init & CallOptions];

/** A call's outcome: the parsed success body, or the documented error object. Never both. */
export type ApiResult<Data, E> =
  | { data: Data; error?: undefined; response: Response }
  | { data?: undefined; error: E; response: Response };

/** The success body of operation `Op` (as openapi-fetch computes it). */
export type SuccessData<Op extends Record<string | number, unknown>, Init> = NonNullable<
  FetchResponse<Op, Init, `${string}/${string}`>["data"]
>;

type Operation<Paths extends PathMap, P extends keyof Paths, M extends HttpMethod> = Paths[P][M &
  keyof Paths[P]] &
  Record<string | number, unknown>;

/** The request options (`params`, `body`) of method `M` on path `P`, as openapi-fetch computes them. */
export type RequestInitOf<
  Paths extends PathMap,
  P extends keyof Paths,
  M extends HttpMethod,
> = MaybeOptionalInit<Paths[P], M & keyof Paths[P]>;

/** A typed call of method `M`: `client.GET("/v1/listings/{listing_id}", { params })`. */
export type ApiMethod<Paths extends PathMap, M extends HttpMethod, E> = <
  P extends PathsWithMethod<Paths, M>,
  Init extends RequestInitOf<Paths, P, M>,
>(
  path: P,
  ...init: InitArg<Init>
) => Promise<ApiResult<SuccessData<Operation<Paths, P, M>, Init>, E>>;

/** The GET paths that answer with a list page (`data`, `has_more`, `next_cursor`). */
export type ListPaths<Paths extends PathMap> = {
  [P in PathsWithMethod<Paths, "get">]: SuccessData<Operation<Paths, P, "get">, object> extends {
    data: readonly unknown[];
    has_more: boolean;
    next_cursor: string | null;
  }
    ? P
    : never;
}[PathsWithMethod<Paths, "get">];

/** The item type of list path `P`. */
export type ListItem<Paths extends PathMap, P extends keyof Paths> =
  SuccessData<Operation<Paths, P, "get">, object> extends { data: readonly (infer Item)[] }
    ? Item
    : never;

/** A client bound to one API version's paths `Paths` and error object `E`. */
export interface ApiClient<Paths extends PathMap, E extends ApiErrorShape> {
  /** Calls a GET operation. */
  GET: ApiMethod<Paths, "get", E>;
  /** Calls a POST operation; an Idempotency-Key is added unless you give one. */
  POST: ApiMethod<Paths, "post", E>;
  /** Calls a PATCH operation. */
  PATCH: ApiMethod<Paths, "patch", E>;
  /** Calls a PUT operation. */
  PUT: ApiMethod<Paths, "put", E>;
  /** Calls a DELETE operation. */
  DELETE: ApiMethod<Paths, "delete", E>;
  /**
   * Iterates over every item of a list, fetching pages as needed (`params.query.limit` sets the
   * page size). An API error ends the iteration by throwing a `WthApiError`.
   */
  paginate<P extends ListPaths<Paths>, Init extends RequestInitOf<Paths, P, "get">>(
    path: P,
    ...init: InitArg<Init>
  ): AsyncIterableIterator<ListItem<Paths, P>>;
  /** The API version this client was generated for. */
  readonly apiVersion: string;
}

/** What an integrator passes to `createClient`. */
export interface ClientOptions {
  /** Your secret API key, `wth_test_…` or `wth_live_…`. Keep it on the server side. */
  apiKey: string;
  /**
   * Where the API lives, e.g. `http://localhost:3000`. Required: the document names no
   * production server, so a default could only be a guess that sends your key somewhere else.
   */
  baseUrl: string;
  /** A `fetch` to use instead of the global one (it must honour `init.signal`). */
  fetch?: FetchLike;
  /** Time limit of each attempt until the response headers arrive, in ms. Default 30,000; 0 = none. */
  timeoutMs?: number;
  /** How often a failed request is sent again (network error, 409 in flight, 429, 5xx). Default 2. */
  maxRetries?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Called once per differing version when a response's `X-API-Version` is not the client's
   * version. By default the client prints one warning with `console.warn`.
   */
  onVersionMismatch?: (mismatch: VersionMismatch) => void;
  /** Waits between retries; injectable for tests. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Returns a number in [0, 1) for backoff jitter; injectable for tests. Default `Math.random`. */
  random?: () => number;
  /** The current time in ms since the epoch (to read HTTP-date `Retry-After`). Default `Date.now`. */
  now?: () => number;
  /** Makes the Idempotency-Key of a POST. Default `crypto.randomUUID()`. */
  generateIdempotencyKey?: () => string;
}

/** What a generated package fixes for its version. */
export interface ClientBinding {
  /** The version the package was generated for, e.g. `2026-05-07`. */
  apiVersion: string;
  /** The npm package name, used in warnings. */
  packageName: string;
}

/** encodeURIComponent leaves `!'()*` bare; RFC 3986 reserves them, so some servers refuse them. */
function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Query parameters in form style, arrays exploded, every reserved character percent-encoded. */
function serializeQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeStrict(name)}=${encodeStrict(String(v))}`);
    }
  }
  return parts.join("&");
}

/**
 * The base URL without trailing slashes; a missing or malformed one fails here, at construction,
 * rather than as a network error on the first call.
 */
function checkedBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== "string" || baseUrl === "") {
    throw new WthError(
      "createClient: `baseUrl` is required (where the API lives, e.g. " +
        'createClient({ apiKey, baseUrl: process.env.WTH_BASE_URL ?? "http://localhost:3000" })).',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new WthError(
      `createClient: \`baseUrl\` ${JSON.stringify(baseUrl)} is not an absolute URL.`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new WthError(
      `createClient: \`baseUrl\` ${JSON.stringify(baseUrl)} must be an http: or https: URL.`,
    );
  }
  return baseUrl.replace(/\/+$/, "");
}

/** Creates a client; generated packages wrap this in their own `createClient`. */
export function createApiClient<Paths extends PathMap, E extends ApiErrorShape>(
  options: ClientOptions,
  binding: ClientBinding,
): ApiClient<Paths, E> {
  if (typeof options?.apiKey !== "string" || options.apiKey === "") {
    throw new WthError(
      "createClient: `apiKey` is required (a `wth_test_…` or `wth_live_…` key). Read it from " +
        "your secrets, e.g. createClient({ apiKey: process.env.WTH_API_KEY }).",
    );
  }
  const baseUrl = checkedBaseUrl(options.baseUrl);
  const transport = createTransport({
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    apiVersion: binding.apiVersion,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 2,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    generateIdempotencyKey:
      options.generateIdempotencyKey ?? (() => globalThis.crypto.randomUUID()),
    onVersionMismatch:
      options.onVersionMismatch ??
      ((mismatch) => warnVersionMismatch(mismatch, binding.packageName)),
  });
  const inner = createFetchClient<Record<string, Record<HttpMethod, object>>>({
    baseUrl,
    querySerializer: serializeQuery,
    headers: { ...options.headers, Authorization: `Bearer ${options.apiKey}` },
  });

  async function call(
    method: string,
    path: string,
    init: Record<string, unknown> | undefined,
  ): Promise<ApiResult<unknown, E>> {
    const { maxRetries, timeoutMs, idempotencyKey, ...rest } = init ?? {};
    const signal = rest.signal instanceof AbortSignal ? rest.signal : undefined;
    const settings = { maxRetries, timeoutMs, idempotencyKey, signal } as CallSettings;
    rest.fetch = (request: Request) => transport(request, settings);
    // Parse JSON here rather than in openapi-fetch, so a non-JSON success body (a proxy's HTML
    // page) becomes a WthUnexpectedResponseError with its status instead of a bare SyntaxError.
    const parseHere = rest.parseAs === undefined;
    if (parseHere) rest.parseAs = "text";
    // openapi-fetch's own overloads are typed per path; this untyped seam is covered by ApiMethod.
    const result = (await inner.request(method as "get", path, rest as never)) as {
      data?: unknown;
      error?: unknown;
      response: Response;
    };
    const { response } = result;
    if (!response.ok) return { error: toApiError<E>(result.error, response), response };
    if (!parseHere || typeof result.data !== "string" || result.data === "") {
      return { data: result.data, response };
    }
    try {
      return { data: JSON.parse(result.data), response };
    } catch {
      throw new WthUnexpectedResponseError(
        response.status,
        result.data.slice(0, 1000),
        response.headers.get("request-id"),
      );
    }
  }

  function method(name: HttpMethod) {
    return ((path: string, init?: Record<string, unknown>) => call(name, path, init)) as never;
  }

  async function* paginate(
    path: string,
    init?: { params?: { query?: Record<string, unknown> } },
  ): AsyncGenerator<unknown> {
    let cursor = init?.params?.query?.starting_after;
    for (;;) {
      const query = { ...init?.params?.query };
      if (cursor !== undefined) query.starting_after = cursor;
      const result = await call("get", path, { ...init, params: { ...init?.params, query } });
      if (result.error !== undefined) throw new WthApiError(result.error, result.response.status);
      const page = result.data as {
        data: unknown[];
        has_more: boolean;
        next_cursor: string | null;
      };
      yield* page.data;
      if (!page.has_more || page.next_cursor === null) return;
      cursor = page.next_cursor;
    }
  }

  return {
    GET: method("get"),
    POST: method("post"),
    PATCH: method("patch"),
    PUT: method("put"),
    DELETE: method("delete"),
    paginate: paginate as never,
    apiVersion: binding.apiVersion,
  };
}

/**
 * Returns `result.data`, or throws the error as a `WthApiError`. For code that prefers
 * exceptions: `const listing = unwrap(await client.GET(...))`.
 */
export function unwrap<Data, E extends ApiErrorShape>(result: ApiResult<Data, E>): Data {
  if (result.error !== undefined) throw new WthApiError(result.error, result.response.status);
  return result.data as Data;
}

function toApiError<E extends ApiErrorShape>(body: unknown, response: Response): E {
  if (typeof body === "object" && body !== null && "error" in body) {
    const error: unknown = body.error;
    if (typeof error === "object" && error !== null && "code" in error) {
      if (typeof error.code === "string") return error as E;
    }
  }
  const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
  throw new WthUnexpectedResponseError(
    response.status,
    text.slice(0, 1000),
    response.headers.get("request-id"),
  );
}

function warnVersionMismatch(mismatch: VersionMismatch, packageName: string): void {
  console.warn(
    `[${packageName}] The API answered in version ${mismatch.received}, but this client was ` +
      `generated for ${mismatch.expected}. Responses may not match the client's types. Install ` +
      `the client for ${mismatch.received}, or ask support to move your integration's pinned ` +
      `version. (request ${mismatch.requestId ?? "unknown"})`,
  );
}
