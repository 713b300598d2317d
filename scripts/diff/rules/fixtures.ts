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

/** A document whose 4xx responses use an error schema with `error.code` enum `codes`. */
export function errorCodes(codes: string[], otherEnum: string[] = ["a", "b"]): Json {
  const errorSchema = object(
    {
      error: object({ code: { type: "string", enum: codes }, message: { type: "string" } }, [
        "code",
        "message",
      ]),
    },
    ["error"],
  );
  return document({
    paths: {
      "/v1/things/{thing_id}": {
        get: {
          operationId: "retrieveThing",
          parameters: [
            { name: "thing_id", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: object({ kind: { type: "string", enum: otherEnum } }, ["kind"]),
                },
              },
            },
            "404": {
              description: "not found",
              content: { "application/json": { schema: errorSchema } },
            },
          },
        },
      },
    },
  });
}
