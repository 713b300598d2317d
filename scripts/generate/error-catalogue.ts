/**
 * The error codes in the reference. The document states each code's meaning in
 * `x-enum-descriptions` (the name the diff and the lint rules read); Redoc reads
 * `x-enumDescriptions`, so the docs input gets both. The Errors section of the overview gets a
 * table of every code, generated from the `ErrorCode` schema, where each row is an anchor
 * (`#error-<code>`), and the codes a response lists link to their rows.
 */
import type { JsonValue, OpenApiDocument } from "./context.ts";

type JsonObject = { [key: string]: JsonValue };

export interface ErrorCodeEntry {
  code: string;
  /** The HTTP status the meaning starts with ("400: …"). */
  status: string;
  meaning: string;
}

/** The anchor of one code, on the reference page. */
export function errorAnchor(code: string): string {
  return `error-${code}`;
}

/**
 * Reads the catalogue from `components.schemas.ErrorCode` of a bundle; undefined for a document
 * without that schema (the project's lint rules require it of every real version).
 */
export function errorCatalogue(document: OpenApiDocument): ErrorCodeEntry[] | undefined {
  const found = asObject(asObject(document.components).schemas).ErrorCode;
  if (found === undefined) return undefined;
  const schema = asObject(found);
  const codes = Array.isArray(schema.enum) ? schema.enum : [];
  const meanings = asObject(schema["x-enum-descriptions"]);
  if (codes.length === 0) {
    throw new Error("error catalogue: components.schemas.ErrorCode has no enum");
  }
  return codes.map((value) => {
    const code = String(value);
    const text = meanings[code];
    const match = typeof text === "string" ? /^(\d{3}):\s*(.*)$/s.exec(text) : null;
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new Error(
        `error catalogue: ErrorCode's x-enum-descriptions has no "<status>: <meaning>" for ${code}`,
      );
    }
    return { code, status: match[1], meaning: match[2] };
  });
}

/** A copy of the bundle with `x-enumDescriptions`, the code table and links to its rows. */
export function withErrorCatalogue(bundled: OpenApiDocument): OpenApiDocument {
  const catalogue = errorCatalogue(bundled);
  const known = new Set(catalogue?.map((entry) => entry.code));
  const copy = structuredClone(bundled);
  visit(copy, (node) => {
    const meanings = node["x-enum-descriptions"];
    if (meanings !== undefined) node["x-enumDescriptions"] = meanings;
    if (Array.isArray(node["x-error-codes"]) && typeof node.description === "string") {
      node.description = linkCodes(node.description, known);
    }
  });
  if (catalogue === undefined) return copy;
  const info = asObject(copy.info);
  info.description = withTable(
    typeof info.description === "string" ? info.description : "",
    catalogue,
  );
  copy.info = info;
  return copy;
}

/** `` `code` `` → a link to the code's row, for codes of the catalogue. */
function linkCodes(text: string, known: Set<string>): string {
  return text.replace(/(?<!\[)`([a-z_]+)`/g, (whole, code: string) =>
    known.has(code) ? `[\`${code}\`](#${errorAnchor(code)})` : whole,
  );
}

/** Puts the table at the end of the "## Errors" section (or adds that section). */
function withTable(description: string, catalogue: ErrorCodeEntry[]): string {
  const rows = catalogue.map(
    (entry) =>
      `| <span id="${errorAnchor(entry.code)}"></span>\`${entry.code}\` | ${entry.status} | ${entry.meaning.replaceAll("|", "\\|")} |`,
  );
  const table = [
    "Every code, its status and its meaning (the same list as the [`ErrorCode` schema](#/schemas/errorcode)). Link to a code with `#error-<code>`.",
    "",
    "| Code | Status | Meaning |",
    "| --- | --- | --- |",
    ...rows,
  ].join("\n");
  const lines = description.split("\n");
  const start = lines.findIndex((line) => /^##\s+Errors\s*$/.test(line));
  if (start === -1) return `${description.trimEnd()}\n\n## Errors\n\n${table}\n`;
  let end = lines.findIndex((line, index) => index > start && /^#{1,2}\s/.test(line));
  if (end === -1) end = lines.length;
  while (end > start + 1 && lines[end - 1]?.trim() === "") end--;
  return [...lines.slice(0, end), "", table, ...lines.slice(end)].join("\n");
}

function visit(node: JsonValue, each: (object: JsonObject) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, each);
  } else if (typeof node === "object" && node !== null) {
    each(node);
    for (const value of Object.values(node)) visit(value, each);
  }
}

function asObject(value: JsonValue | undefined): JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}
