/**
 * What a maintainer does after `wth mint <date>` for the proving test: edits the new version's
 * document and the handlers (which speak only the newest version). The edits are the issue's
 * list: a renamed response field (Order.amount → total_amount), an enum value split in two
 * (ListingCondition fair → needs_service | for_parts), a request field that became required
 * (createCustomer.phone), a removed endpoint (archiveListing), a changed webhook payload field
 * (Order.cancellation_reason → cancellation {reason}), and one additive change
 * (Listing.has_box_and_papers, which must reach older versions too); plus a nested rename
 * (`tracking_number` → `tracking_code` in the order's shipping object and in the ship request),
 * which only conversion along the schema graph renders right.
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
    if (map.has("carrier") && map.has("tracking_number")) {
      renameKey(map, "tracking_number", "tracking_code");
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

  for (const name of ["OrderShipping.yaml", "ShipOrderRequest.yaml"]) {
    editYaml(path.join(schemas, name), (doc) => {
      const required = doc.get("required") as { items: Array<{ value: unknown }> };
      for (const item of required.items) {
        if (item.value === "tracking_number") item.value = "tracking_code";
      }
      renameKey(doc.get("properties") as YAMLMap, "tracking_number", "tracking_code");
    });
  }

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
  replaceOnce(
    orders,
    "tracking_number: row.shipping_tracking_number",
    "tracking_code: row.shipping_tracking_number",
  );
  replaceOnce(
    orders,
    "shipping_tracking_number: body.tracking_number,",
    "shipping_tracking_number: body.tracking_code,",
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

/**
 * What "wth changes scaffold" cannot know: `cancellation_reason` did not vanish, it moved into
 * `cancellation.reason`. The maintainer replaces the scaffolded `existed()` (which would give
 * old pins `null`) by a hand-written converter, answering the findings by selector.
 */
export const CANCELLATION_CHANGE_FILE = "order-cancellation-reason-removed.ts";
export const HAND_WRITTEN_CANCELLATION = `import { defineVersionChange } from "../../change.ts";
import { replaceField } from "../../fields.ts";

export const change = defineVersionChange({
  id: "order-cancellation-reason-removed",
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
`;

/** Replaces the scaffolded cancellation change by the hand-written one. */
export function handWriteCancellation(root: string, date: string): void {
  const file = path.join(root, "server", "versions", "changes", date, CANCELLATION_CHANGE_FILE);
  if (!fs.existsSync(file)) throw new Error(`${file}: wth changes scaffold did not write it`);
  fs.writeFileSync(file, HAND_WRITTEN_CANCELLATION);
}
