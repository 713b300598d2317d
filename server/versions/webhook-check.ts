/**
 * Outside production every webhook body is validated against its pinned version's document
 * before it is stored and signed, exactly as responses are: a converter that leaves an old pin's
 * payload in the wrong shape fails here, naming the event type, the version and the field,
 * instead of reaching a receiver. Production skips it (like response validation); there the
 * version proof that `wth release` requires stands guard. Whether to check is the caller's
 * setting (`WebhookSettings.checkBodies`, from NODE_ENV in server/config.ts): this module reads
 * no environment.
 */
import { createRequire } from "node:module";
import { ConversionError } from "./conversion-error.ts";

type Doc = Record<string, unknown>;
type Validate = ((value: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string }> | null;
};
interface AjvLike {
  addSchema(schema: object, key: string): unknown;
  getSchema(ref: string): Validate | undefined;
}

/** A webhook body its pinned version's document rejects: a conversion that went wrong. */
export class WebhookShapeError extends ConversionError {
  override name = "WebhookShapeError";
}

const validators = new Map<string, AjvLike>();

function ajvFor(version: string, document: (v: string) => Doc | undefined): AjvLike | undefined {
  let ajv = validators.get(version);
  if (ajv === undefined) {
    const doc = document(version);
    if (doc === undefined) return undefined;
    // Loaded only outside production, where the development dependencies are installed.
    const require = createRequire(import.meta.url);
    const mod = require("ajv/dist/2020.js") as { default: new (o: object) => AjvLike };
    ajv = new mod.default({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(doc, version);
    validators.set(version, ajv);
  }
  return ajv;
}

/** Throws a WebhookShapeError when `body` is not a valid `type` webhook of `version`. */
export function checkWebhookBody(
  type: string,
  version: string,
  body: string,
  document: (v: string) => Doc | undefined,
): void {
  const ajv = ajvFor(version, document);
  const pointer = `/webhooks/${type.replace(/~/g, "~0").replace(/\//g, "~1")}/post/requestBody/content/application~1json/schema`;
  const validate = ajv?.getSchema(`${version}#${pointer}`);
  const schema = `webhook ${type}`;
  if (validate === undefined) {
    throw new WebhookShapeError(
      version,
      schema,
      undefined,
      "",
      undefined,
      `webhook ${type} has no body schema in ${version}'s document (generated/${version}/openapi.json)`,
    );
  }
  if (validate(JSON.parse(body))) return;
  const errors = validate.errors ?? [];
  const problems = errors
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`.trim());
  throw new WebhookShapeError(
    version,
    schema,
    undefined,
    errors[0]?.instancePath ?? "",
    undefined,
    `webhook ${type} rendered for ${version} does not match that version's document: ${problems.join("; ")}`,
  );
}
