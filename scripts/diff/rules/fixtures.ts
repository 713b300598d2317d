/**
 * Builders for the smallest documents that show a rule, used by every rule's table of cases.
 * They keep each case to the one difference it is about.
 */
type Json = Record<string, unknown>;

export function object(properties: Json, required: string[] = [], extra: Json = {}): Json {
  return { type: "object", properties, ...(required.length > 0 ? { required } : {}), ...extra };
}

export function document(extra: Json = {}): Json {
  return { openapi: "3.1.0", info: { title: "case", version: "1" }, paths: {}, ...extra };
}

const okResponse = {
  description: "ok",
  content: { "application/json": { schema: { type: "object" } } },
};

/** `POST /v1/things` whose JSON request body is `schema`. */
export function requestBody(schema: unknown, extra: Json = {}): Json {
  return document({
    paths: {
      "/v1/things": {
        post: {
          operationId: "createThing",
          requestBody: { required: true, content: { "application/json": { schema } } },
          responses: { "201": okResponse },
        },
      },
    },
    ...extra,
  });
}

/** `GET /v1/things/{thing_id}` whose 200 JSON body is `schema`. */
export function responseBody(schema: unknown, extra: Json = {}): Json {
  return document({
    paths: {
      "/v1/things/{thing_id}": {
        get: {
          operationId: "retrieveThing",
          parameters: [
            { name: "thing_id", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: { "200": { description: "ok", content: { "application/json": { schema } } } },
        },
      },
    },
    ...extra,
  });
}

/** `GET /v1/things` with the given parameters (and, optionally, responses). */
export function withParameters(
  parameters: unknown[],
  responses: Json = { "200": okResponse },
): Json {
  return document({
    paths: { "/v1/things": { get: { operationId: "listThings", parameters, responses } } },
  });
}

export function operation(op: Json, path = "/v1/things", method = "post", extra: Json = {}): Json {
  return document({ paths: { [path]: { [method]: op } }, ...extra });
}

/** A webhook named `name` whose payload (what we send) is `payload`. */
export function webhook(name: string, payload: unknown, op: Json = {}): Json {
  return document({
    webhooks: {
      [name]: {
        post: {
          requestBody: { required: true, content: { "application/json": { schema: payload } } },
          responses: { "2XX": { description: "any 2xx acknowledges" } },
          ...op,
        },
      },
    },
  });
}

export function parameter(name: string, where: string, schema: Json, required = false): Json {
  return { name, in: where, required, schema };
}

/** A list operation with the DESIGN.md pagination contract. */
export function list(
  overrides: { limit?: Json; cursor?: Json | null; nextCursor?: Json | null } = {},
): Json {
  const parameters: Json[] = [
    parameter(
      "limit",
      "query",
      overrides.limit ?? { type: "integer", minimum: 1, maximum: 100, default: 20 },
    ),
  ];
  if (overrides.cursor !== null) {
    parameters.push(
      parameter("starting_after", "query", overrides.cursor ?? { type: "string", maxLength: 512 }),
    );
  }
  const props: Json = {
    object: { const: "list" },
    data: { type: "array", items: { type: "object" } },
    has_more: { type: "boolean" },
  };
  const required = ["object", "data", "has_more"];
  if (overrides.nextCursor !== null) {
    props.next_cursor = overrides.nextCursor ?? { type: ["string", "null"] };
    required.push("next_cursor");
  }
  return withParameters(parameters, {
    "200": {
      description: "ok",
      content: { "application/json": { schema: object(props, required) } },
    },
  });
}

/** Where an error body holds its code, for the error-code fixtures. */
export type CodeAt = "error.code" | "code" | "error_code" | "errors[].code" | "detail.kind";

function errorBody(codeSchema: Json, at: CodeAt): Json {
  const message = { message: { type: "string" } };
  switch (at) {
    case "code":
      return object({ code: codeSchema, ...message }, ["code"]);
    case "error_code":
      return object({ error_code: codeSchema, ...message }, ["error_code"]);
    case "errors[].code":
      return object({ errors: { type: "array", items: object({ code: codeSchema }, ["code"]) } });
    case "detail.kind":
      return object({ detail: object({ kind: codeSchema }, ["kind"]) });
    default:
      return object({ error: object({ code: codeSchema, ...message }, ["code", "message"]) }, [
        "error",
      ]);
  }
}

/**
 * A document whose 404 response uses an error body with the code enum `codes` (at `error.code`
 * unless `at` says otherwise); `others` adds operations whose 404 lists other codes.
 */
export function errorCodes(
  codes: string[],
  otherEnum: string[] = ["a", "b"],
  codeExtra: Json = {},
  at: CodeAt = "error.code",
  others: Record<string, string[]> = {},
  root: Json = {},
): Json {
  const notFound = (list: string[]) => ({
    description: "not found",
    content: {
      "application/json": {
        schema: errorBody({ type: "string", enum: list, ...codeExtra }, at),
      },
    },
  });
  const paths: Json = {
    "/v1/things/{thing_id}": {
      get: {
        operationId: "retrieveThing",
        parameters: [{ name: "thing_id", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: object({ kind: { type: "string", enum: otherEnum } }, ["kind"]),
              },
            },
          },
          "404": notFound(codes),
        },
      },
    },
  };
  for (const [path, list] of Object.entries(others)) {
    paths[path] = { get: { responses: { "200": okResponse, "404": notFound(list) } } };
  }
  return document({ paths, ...root });
}
