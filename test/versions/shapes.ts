/**
 * Checks a value against one version's bundled document: JSON Schema validation (Ajv, 2020-12,
 * as OpenAPI 3.1 uses) plus an exact key check for resources, because the documents do not
 * forbid extra response fields and "exactly its own version's shape" must catch a leaked one.
 */
import fs from "node:fs";
import path from "node:path";
import Ajv2020Module from "ajv/dist/2020.js";

// biome-ignore lint/suspicious/noExplicitAny: Ajv's CommonJS default export differs between type and runtime
const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as typeof Ajv2020Module;

type Schema = Record<string, unknown>;

export interface VersionShapes {
  version: string;
  doc: Schema;
  /** Problems of `value` against `components.schemas[name]`; empty when it conforms. */
  schema(name: string, value: unknown): string[];
  /** Problems of a webhook body against the document's `webhooks[type]` request body. */
  webhook(type: string, value: unknown): string[];
  /** Whether the object's keys are exactly the schema's (all of them, none besides). */
  keys(name: string, value: Record<string, unknown>): string[];
}

export function loadShapes(root: string, version: string): VersionShapes {
  const file = path.join(root, "generated", version, "openapi.json");
  const doc = JSON.parse(fs.readFileSync(file, "utf8")) as Schema;
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(doc, "doc");
  const check = (ref: string, value: unknown): string[] => {
    const validate = ajv.getSchema(`doc#${ref}`);
    if (validate === undefined) return [`${version} has no ${ref}`];
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
  };
  const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
  return {
    version,
    doc,
    schema: (name, value) => check(`/components/schemas/${name}`, value),
    webhook: (type, value) =>
      check(`/webhooks/${type}/post/requestBody/content/application~1json/schema`, value),
    keys(name, value) {
      const schema = schemas[name];
      if (schema === undefined) return [`${version} has no schema ${name}`];
      const props = Object.keys((schema.properties ?? {}) as Schema);
      const extra = Object.keys(value).filter((k) => !props.includes(k));
      const missing = ((schema.required ?? []) as string[]).filter((k) => !(k in value));
      return [
        ...extra.map((k) => `${name}.${k} is not in ${version}`),
        ...missing.map((k) => `${name}.${k} is missing`),
      ];
    },
  };
}
