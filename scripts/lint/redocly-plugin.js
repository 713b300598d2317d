// Assertion functions for the house rules in redocly.yaml (`rule/...` configurable rules).
// Redocly loads plugins with a plain `import()`, without tsx, so this file is JavaScript; the
// JSDoc types keep it honest. Each function returns Redocly problems `{message, location}`; the
// rule that uses it supplies the rule id, severity and subject (which nodes it runs on).

/**
 * @typedef {{ pointer: string, source: { absoluteRef: string }, child(key: string | number): Location, key(): Location }} Location
 * @typedef {{ node: unknown, location: Location | undefined }} Resolved
 * @typedef {{
 *   node: Record<string, unknown>,
 *   rawNode: Record<string, unknown>,
 *   location: Location,
 *   baseLocation: Location,
 *   resolve(node: unknown, from?: string): Resolved,
 * }} AssertionContext
 * @typedef {{ message: string, location: Location }} Problem
 */

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** @param {unknown} value @returns {value is { $ref: string }} */
function isRef(value) {
  return isObject(value) && typeof value.$ref === "string";
}

/**
 * Follows `$ref`s from `node` (found in the file `from`) to the object they point at, keeping
 * track of the file each step lands in, because nested refs are relative to their own file.
 * @param {AssertionContext} ctx @param {unknown} node @param {string} from
 * @returns {{ node: unknown, from: string }}
 */
function deref(ctx, node, from) {
  let current = node;
  let source = from;
  for (let hops = 0; isRef(current) && hops < 32; hops++) {
    const resolved = ctx.resolve(current, source);
    if (resolved.location === undefined) return { node: undefined, from: source };
    current = resolved.node;
    source = resolved.location.source.absoluteRef;
  }
  return { node: current, from: source };
}

/**
 * The operation's parameters, resolved, as `in:name` keys (header names lower-cased).
 * @param {AssertionContext} ctx @returns {Set<string>}
 */
function parameterKeys(ctx) {
  const keys = new Set();
  const list = Array.isArray(ctx.node.parameters) ? ctx.node.parameters : [];
  for (const raw of list) {
    const { node } = deref(ctx, raw, ctx.location.source.absoluteRef);
    if (!isObject(node) || typeof node.name !== "string" || typeof node.in !== "string") continue;
    keys.add(parameterKey(node.in, node.name));
  }
  return keys;
}

/** @param {string} location @param {string} name */
function parameterKey(location, name) {
  return `${location}:${location === "header" ? name.toLowerCase() : name}`;
}

/**
 * The resolved JSON schema of the operation's 200 response, if it has one.
 * @param {AssertionContext} ctx @returns {{ node: Record<string, unknown>, from: string } | undefined}
 */
function successSchema(ctx) {
  const responses = isObject(ctx.node.responses) ? ctx.node.responses : {};
  const response = deref(ctx, responses["200"], ctx.location.source.absoluteRef);
  if (!isObject(response.node) || !isObject(response.node.content)) return undefined;
  const media = response.node.content["application/json"];
  if (!isObject(media)) return undefined;
  const schema = deref(ctx, media.schema, response.from);
  return isObject(schema.node) ? { node: schema.node, from: schema.from } : undefined;
}

/**
 * Whether a GET operation returns a list: its 200 schema says `object: list` or has a `data`
 * array, or its operationId starts with `list`.
 * @param {AssertionContext} ctx
 */
function isListOperation(ctx) {
  if (typeof ctx.node.operationId === "string" && /^list[A-Z]/.test(ctx.node.operationId)) {
    return true;
  }
  const schema = successSchema(ctx);
  if (schema === undefined || !isObject(schema.node.properties)) return false;
  const object = deref(ctx, schema.node.properties.object, schema.from).node;
  const data = deref(ctx, schema.node.properties.data, schema.from).node;
  return (isObject(object) && object.const === "list") || (isObject(data) && data.type === "array");
}

/**
 * What is wrong with a list envelope schema, compared with the one shape every list shares:
 * exactly `object` (const "list"), `data` (array), `has_more` (boolean) and `next_cursor`
 * (string or null), all required.
 * @param {AssertionContext} ctx @param {{ node: Record<string, unknown>, from: string }} schema
 * @returns {string[]}
 */
function envelopeDifferences(ctx, schema) {
  const wrong = [];
  const properties = isObject(schema.node.properties) ? schema.node.properties : {};
  const expected = ["object", "data", "has_more", "next_cursor"];
  const required = Array.isArray(schema.node.required) ? schema.node.required : [];
  for (const name of expected) {
    if (!(name in properties)) wrong.push(`property "${name}" is missing`);
    else if (!required.includes(name)) wrong.push(`property "${name}" is not required`);
  }
  for (const name of Object.keys(properties)) {
    if (!expected.includes(name)) wrong.push(`property "${name}" is not part of the envelope`);
  }
  /** @param {string} name */
  const prop = (name) => {
    const found = deref(ctx, properties[name], schema.from).node;
    return isObject(found) ? found : {};
  };
  if ("object" in properties && prop("object").const !== "list") {
    wrong.push('"object" must be `const: list`');
  }
  if ("data" in properties && prop("data").type !== "array") wrong.push('"data" must be an array');
  if ("has_more" in properties && prop("has_more").type !== "boolean") {
    wrong.push('"has_more" must be a boolean');
  }
  if ("next_cursor" in properties) {
    const type = prop("next_cursor").type;
    const types = Array.isArray(type) ? type : [type];
    if (types.length !== 2 || !types.includes("string") || !types.includes("null")) {
      wrong.push('"next_cursor" must be `type: [string, "null"]`');
    }
  }
  return wrong;
}

/**
 * `wth/hasHeaders: [Name, ...]` on a Response: each named header is documented
 * (header names compare case-insensitively, as in HTTP).
 * @param {unknown} _value @param {string[]} names @param {AssertionContext} ctx
 * @returns {Problem[]}
 */
function hasHeaders(_value, names, ctx) {
  const headers = isObject(ctx.node.headers) ? Object.keys(ctx.node.headers) : [];
  const present = new Set(headers.map((name) => name.toLowerCase()));
  return names
    .filter((name) => !present.has(name.toLowerCase()))
    .map((name) => ({
      message: `the response does not document the "${name}" header`,
      location: isObject(ctx.node.headers)
        ? ctx.location.child("headers").key()
        : ctx.location.key(),
    }));
}

/**
 * `wth/usesSchema: Name` on a Response: its `application/json` body is a `$ref` to the schema
 * called Name (a `#/components/schemas/Name` pointer or a `Name.yaml` file).
 * @param {unknown} _value @param {string} name @param {AssertionContext} ctx
 * @returns {Problem[]}
 */
function usesSchema(_value, name, ctx) {
  const content = isObject(ctx.node.content) ? ctx.node.content : undefined;
  const media = content === undefined ? undefined : content["application/json"];
  if (!isObject(media)) {
    return [
      {
        message: `the response has no application/json body (${name})`,
        location: ctx.location.key(),
      },
    ];
  }
  const schema = media.schema;
  const pattern = new RegExp(`(^|/)${name}(\\.ya?ml|\\.json)?$`);
  if (isRef(schema) && pattern.test(schema.$ref)) return [];
  return [
    {
      message: `the response body must be a $ref to the ${name} schema`,
      location: ctx.location.child("content").child("application/json").child("schema"),
    },
  ];
}

/**
 * `wth/hasParameter: {in, name}` on an Operation: the parameter is declared on it.
 * @param {unknown} _value @param {{ in: string, name: string }} wanted @param {AssertionContext} ctx
 * @returns {Problem[]}
 */
function hasParameter(_value, wanted, ctx) {
  if (parameterKeys(ctx).has(parameterKey(wanted.in, wanted.name))) return [];
  return [
    {
      message: `the operation does not declare the ${wanted.in} parameter "${wanted.name}"`,
      location: ctx.location.key(),
    },
  ];
}

/**
 * `wth/listPagination: {parameters: [...]}` on a GET Operation: when it returns a list, it takes
 * the pagination query parameters and its 200 body is the shared list envelope.
 * @param {unknown} _value @param {{ parameters: string[] }} options @param {AssertionContext} ctx
 * @returns {Problem[]}
 */
function listPagination(_value, options, ctx) {
  if (!isListOperation(ctx)) return [];
  const problems = [];
  const keys = parameterKeys(ctx);
  for (const name of options.parameters) {
    if (!keys.has(parameterKey("query", name))) {
      problems.push({
        message: `the list operation does not declare the query parameter "${name}"`,
        location: ctx.location.key(),
      });
    }
  }
  const schema = successSchema(ctx);
  const differences =
    schema === undefined
      ? ["there is no 200 application/json body"]
      : envelopeDifferences(ctx, schema);
  if (differences.length > 0) {
    problems.push({
      message: `the list operation's 200 body is not the list envelope: ${differences.join("; ")}`,
      location: ctx.location.child("responses").key(),
    });
  }
  return problems;
}

/**
 * The `enum` and `x-enum-descriptions` of the `error.code` property in a response's body.
 * @param {AssertionContext} ctx @param {unknown} schemaRef @param {string} from
 * @returns {{ codes: unknown[], descriptions: Record<string, unknown> } | undefined}
 */
function errorCodeCatalogue(ctx, schemaRef, from) {
  const body = deref(ctx, schemaRef, from);
  if (!isObject(body.node) || !isObject(body.node.properties)) return undefined;
  const error = deref(ctx, body.node.properties.error, body.from);
  if (!isObject(error.node) || !isObject(error.node.properties)) return undefined;
  const code = deref(ctx, error.node.properties.code, error.from).node;
  if (!isObject(code) || !Array.isArray(code.enum)) return undefined;
  const descriptions = code["x-enum-descriptions"];
  return { codes: code.enum, descriptions: isObject(descriptions) ? descriptions : {} };
}

/**
 * `wth/errorCodes: true` on a 4xx/5xx Response: `x-error-codes` lists the `error.code` values it
 * can carry; each is in the ErrorCode catalogue (whose description starts with this status),
 * named in the description and shown by an example; no example shows an unlisted code.
 * @param {unknown} _value @param {unknown} _options @param {AssertionContext & { key: string | number }} ctx
 * @returns {Problem[]}
 */
function errorCodes(_value, _options, ctx) {
  const here = ctx.location;
  const listed = ctx.node["x-error-codes"];
  if (
    !Array.isArray(listed) ||
    listed.length === 0 ||
    !listed.every((c) => typeof c === "string")
  ) {
    return [
      {
        message: "`x-error-codes` must list the error codes this response can carry",
        location: here.key(),
      },
    ];
  }
  const problems = [];
  /** @param {string} message @param {Location} [location] */
  const report = (message, location = here.child("x-error-codes")) =>
    problems.push({ message, location });
  const content = isObject(ctx.node.content) ? ctx.node.content : {};
  const media = isObject(content["application/json"]) ? content["application/json"] : {};
  const catalogue = errorCodeCatalogue(ctx, media.schema, here.source.absoluteRef);
  const status = String(ctx.key);
  for (const code of listed) {
    if (catalogue !== undefined && !catalogue.codes.includes(code)) {
      report(`"${code}" is not in the ErrorCode catalogue`);
      continue;
    }
    const meaning = catalogue?.descriptions[code];
    const documentedStatus =
      typeof meaning === "string" ? /^(\d{3}):/.exec(meaning)?.[1] : undefined;
    if (documentedStatus !== undefined && /^\d{3}$/.test(status) && documentedStatus !== status) {
      report(`"${code}" is catalogued as a ${documentedStatus} but listed on a ${status} response`);
    }
    const description = typeof ctx.node.description === "string" ? ctx.node.description : "";
    if (!description.includes(`\`${code}\``)) {
      report(`the description does not name \`${code}\``, here.child("description"));
    }
  }
  const shown = new Set();
  const examples = isObject(media.examples) ? media.examples : {};
  for (const [name, raw] of Object.entries(examples)) {
    const example = deref(ctx, raw, here.source.absoluteRef).node;
    const value = isObject(example) ? example.value : undefined;
    const error = isObject(value) ? value.error : undefined;
    const code = isObject(error) ? error.code : undefined;
    if (typeof code !== "string") continue;
    shown.add(code);
    if (!listed.includes(code)) {
      report(
        `example "${name}" shows "${code}", which is not in x-error-codes`,
        here.child("content").child("application/json").child("examples").child(name),
      );
    }
  }
  for (const code of listed) {
    if (!shown.has(code)) report(`no example shows "${code}"`);
  }
  return problems;
}

export default function wthRedoclyPlugin() {
  return {
    id: "wth",
    assertions: { hasHeaders, usesSchema, hasParameter, listPagination, errorCodes },
  };
}
