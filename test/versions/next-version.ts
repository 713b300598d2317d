/**
 * What a maintainer does after `wth mint <date>` for the proving test: edits the new version's
 * document and the handlers (which speak only the newest version). The edits are the issue's
 * list: a renamed response field (Order.amount → total_amount), an enum value split in two
 * (ListingCondition fair → needs_service | for_parts), a request field that became required
 * (createCustomer.phone), a removed endpoint (archiveListing), a changed webhook payload field
 * (Order.cancellation_reason → cancellation {reason}), and one additive change
 * (Listing.has_box_and_papers, which must reach older versions too).
 */
import fs from "node:fs";
import path from "node:path";
import { type Document, isMap, isScalar, isSeq, parseDocument, Scalar, type YAMLMap } from "yaml";

/** Edits a YAML file in place; a file the edit leaves alone keeps its exact bytes. */
function editYaml(file: string, edit: (doc: Document) => void): void {
  const text = fs.readFileSync(file, "utf8");
  const doc = parseDocument(text);
  const before = doc.toString();
  edit(doc);
  if (doc.toString() === before) return;
  fs.writeFileSync(file, doc.toString({ flowCollectionPadding: false, lineWidth: 100 }));
}

/** Visits every map of a YAML document (examples included). */
function eachMap(node: unknown, visit: (map: YAMLMap) => void): void {
  if (isMap(node)) {
    visit(node);
    for (const pair of node.items) eachMap(pair.value, visit);
  } else if (isSeq(node)) {
    for (const item of node.items) eachMap(item, visit);
  }
}

function scalar(map: YAMLMap, key: string): unknown {
  const v = map.get(key, true);
  return isScalar(v) ? v.value : undefined;
}

function renameKey(map: YAMLMap, from: string, to: string, value?: unknown): void {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === from);
  if (pair === undefined) return;
  (pair as { key: unknown }).key = new Scalar(to);
  if (value !== undefined) (pair as { value: unknown }).value = value;
}

function replaceOnce(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, "utf8");
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + from.length) !== -1) {
    throw new Error(`${file}: expected exactly one ${JSON.stringify(from)} to edit`);
  }
  fs.writeFileSync(file, text.replace(from, to));
}

/** Rewrites examples throughout the new version so they show its shapes. */
function rewriteExamples(doc: Document, rel: string): void {
  eachMap(doc.contents, (map) => {
    const object = scalar(map, "object");
    if (object === "order" && map.has("amount") && map.has("cancellation_reason")) {
      const reason = scalar(map, "cancellation_reason");
      const cancelled = scalar(map, "status") === "cancelled";
      renameKey(map, "amount", "total_amount");
      renameKey(
        map,
        "cancellation_reason",
        "cancellation",
        doc.createNode(cancelled ? { reason: reason ?? null } : null),
      );
    }
    if (map.has("condition") && scalar(map, "condition") === "fair") {
      map.set("condition", "needs_service");
    }
    if (object === undefined && rel.endsWith("customers.yaml") && map.has("email")) {
      if (map.has("name") && !map.has("phone") && !map.has("$ref")) map.set("phone", null);
    }
  });
}

export function editNextVersionDocument(root: string, date: string): void {
  const dir = path.join(root, "openapi", date);
  const schemas = path.join(dir, "components", "schemas");

  editYaml(path.join(schemas, "Order.yaml"), (doc) => {
    const required = doc.get("required") as { items: Array<{ value: unknown }> };
    for (const item of required.items) {
      if (item.value === "amount") item.value = "total_amount";
      if (item.value === "cancellation_reason") item.value = "cancellation";
    }
    const props = doc.get("properties") as YAMLMap;
    renameKey(props, "amount", "total_amount");
    renameKey(
      props,
      "cancellation_reason",
      "cancellation",
      doc.createNode({
        description: "Why the order was cancelled, once it is; otherwise null.",
        type: ["object", "null"],
        required: ["reason"],
        additionalProperties: false,
        properties: {
          reason: {
            type: ["string", "null"],
            maxLength: 500,
            description: "The reason given when the order was cancelled, or null.",
          },
        },
      }),
    );
  });

  editYaml(path.join(schemas, "ListingCondition.yaml"), (doc) => {
    doc.set(
      "description",
      "The watch's condition: `new`, `unworn`, `excellent`, `very_good`, `good`, `needs_service` (works once serviced) or `for_parts` (does not work; sold for parts).",
    );
    doc.set(
      "enum",
      doc.createNode([
        "new",
        "unworn",
        "excellent",
        "very_good",
        "good",
        "needs_service",
        "for_parts",
      ]),
    );
    const meanings = doc.get("x-enum-meanings") as YAMLMap;
    meanings.delete("fair");
    meanings.set("needs_service", "needs-service");
    meanings.set("for_parts", "not-working-sold-for-parts");
  });

  editYaml(path.join(schemas, "CreateCustomerRequest.yaml"), (doc) => {
    const required = doc.get("required") as { add(v: unknown): void };
    required.add("phone");
  });

  editYaml(path.join(schemas, "Listing.yaml"), (doc) => {
    const props = doc.get("properties") as YAMLMap;
    props.set(
      "has_box_and_papers",
      doc.createNode({
        type: "boolean",
        description: "Whether the watch comes with both its box and its papers.",
      }),
    );
  });

  editYaml(path.join(dir, "openapi.yaml"), (doc) => {
    (doc.get("paths") as YAMLMap).delete("/v1/listings/{listing_id}/archive");
  });

  for (const sub of ["components/schemas", "paths", "webhooks"]) {
    for (const name of fs.readdirSync(path.join(dir, sub))) {
      if (!name.endsWith(".yaml")) continue;
      editYaml(path.join(dir, sub, name), (doc) => rewriteExamples(doc, `${sub}/${name}`));
    }
  }
}

/** The handlers change to speak the new version; they know nothing of older ones. */
export function editHandlers(root: string): void {
  const orders = path.join(root, "server", "resources", "orders.ts");
  replaceOnce(orders, "    amount: Number(row.amount),", "    total_amount: Number(row.amount),");
  replaceOnce(
    orders,
    "    cancellation_reason: row.cancellation_reason,",
    "    cancellation: row.cancelled_at === null ? null : { reason: row.cancellation_reason },",
  );
  const listings = path.join(root, "server", "resources", "listings.ts");
  replaceOnce(
    listings,
    "    papers: row.papers === 1,\n",
    "    papers: row.papers === 1,\n    has_box_and_papers: row.box === 1 && row.papers === 1,\n",
  );
  // The test utilities' sample objects are the document's webhook examples (generated
  // server.ts), which rewriteExamples has already moved to the new shapes.
}

/** The version changes answering each breaking finding, one file per change. */
export const NEXT_VERSION_CHANGES: Record<string, string> = {
  "order-amount-renamed-to-total-amount": `import { defineVersionChange } from "../../change.ts";
import { renameField } from "../../fields.ts";

export const change = defineVersionChange({
  id: "order-amount-renamed-to-total-amount",
  description: "Order \`amount\` is renamed \`total_amount\`.",
  migration: "Read \`total_amount\` where you read \`amount\` on orders and in order.* webhook payloads.",
  answers: ["response-property-renamed:Order.amount"],
  response: {
    Order: (order) => renameField(order, "total_amount", "amount"),
  },
});
`,
  "order-cancellation-reason-became-object": `import { defineVersionChange } from "../../change.ts";
import { replaceField } from "../../fields.ts";

export const change = defineVersionChange({
  id: "order-cancellation-reason-became-object",
  description: "Order \`cancellation_reason\` is replaced by \`cancellation\`, an object \`{reason}\` or null.",
  migration: "Read \`cancellation.reason\` (\`cancellation\` is null until the order is cancelled).",
  answers: [
    "response-property-removed:Order.cancellation_reason",
    "response-property-added:Order.cancellation",
  ],
  response: {
    Order: (order) =>
      replaceField(order, "cancellation", "cancellation_reason", (c) =>
        c === null || typeof c !== "object" ? null : ((c as { reason?: unknown }).reason ?? null),
      ),
  },
});
`,
  "listing-condition-fair-split": `import { defineVersionChange } from "../../change.ts";
import { mapValue } from "../../fields.ts";

const up = (body: Record<string, unknown>) => mapValue(body, "condition", { fair: "needs_service" });

export const change = defineVersionChange({
  id: "listing-condition-fair-split",
  description: "Listing condition \`fair\` is split into \`needs_service\` and \`for_parts\`.",
  migration: "Send \`needs_service\` or \`for_parts\` instead of \`fair\`, and accept both in responses.",
  answers: ["request-enum-value-removed:ListingCondition", "response-enum-value-added:ListingCondition"],
  request: { createListing: up, updateListing: up },
  response: {
    Listing: (listing) =>
      mapValue(listing, "condition", { needs_service: "fair", for_parts: "fair" }),
  },
});
`,
  "customer-phone-required": `import { defineVersionChange } from "../../change.ts";
import { withDefault } from "../../fields.ts";

export const change = defineVersionChange({
  id: "customer-phone-required",
  description: "Creating a customer requires \`phone\` (null when there is none).",
  migration: "Send \`phone\` when creating a customer; send \`null\` if you have no number.",
  answers: ["request-property-made-required:CreateCustomerRequest.phone"],
  request: { createCustomer: (body) => withDefault(body, "phone", null) },
});
`,
  "listing-archive-removed": `import { defineVersionChange } from "../../change.ts";

export const change = defineVersionChange({
  id: "listing-archive-removed",
  description: "\`POST /v1/listings/{listing_id}/archive\` is removed.",
  migration: "Stop calling archiveListing; a listing you no longer offer stays in draft.",
  answers: ["operation-removed:POST /v1/listings/{listing_id}/archive"],
});
`,
};

export function writeVersionChanges(root: string, date: string): void {
  const dir = path.join(root, "server", "versions", "changes", date);
  const ids = Object.keys(NEXT_VERSION_CHANGES);
  for (const id of ids)
    fs.writeFileSync(path.join(dir, `${id}.ts`), NEXT_VERSION_CHANGES[id] as string);
  const names = ids.map((id) => id.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()));
  const imports = ids
    .map((id, i) => `import { change as ${names[i]} } from "./${id}.ts";`)
    .join("\n");
  const index = path.join(dir, "index.ts");
  const text = fs.readFileSync(index, "utf8");
  const edited = text
    .replace('import type { VersionChange } from "../../change.ts";', (m) => `${m}\n${imports}`)
    .replace(
      "export const changes: VersionChange[] = [];",
      `export const changes: VersionChange[] = [${names.join(", ")}];`,
    );
  if (edited === text) throw new Error(`${index}: the scaffold wth mint wrote was not found`);
  fs.writeFileSync(index, edited);
}
