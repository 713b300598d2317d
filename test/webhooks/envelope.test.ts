import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderEvent } from "../../server/events/outbox.ts";
import { repoRoot } from "../../server/versions/registry.ts";
import { renderEventBody } from "../../server/webhooks/envelope.ts";
import { API_VERSION } from "./harness.ts";

type Json = Record<string, unknown>;
const doc = JSON.parse(
  fs.readFileSync(path.join(repoRoot, "generated", API_VERSION, "openapi.json"), "utf8"),
) as { webhooks: Record<string, { post: { requestBody: { content: Record<string, Json> } } }> };

/** The document's own example object of an event type, with awkward strings in free text. */
function exampleOf(type: string, tricky: Json): Json {
  const media = doc.webhooks[type]?.post.requestBody.content["application/json"] as Json;
  const example = Object.values(media.examples as Record<string, { value: Json }>)[0]?.value;
  if (example === undefined) throw new Error(`${type} has no example in the document`);
  return { ...(example.data as { object: Json }).object, ...tricky };
}

// Bodies are validated against the document outside production, so the objects are valid ones.
const objects = [
  exampleOf("listing.created", { metadata: { note: "line\nbreak\ttab\\backslash" } }),
  exampleOf("customer.created", {
    name: 'Zoë "the collector" Ångström ⌚',
    metadata: { odd: "\u2028</script>", number: "1e21" },
  }),
  exampleOf("order.created", { metadata: { note: "-0.001 \u00e9" } }),
];

describe("a delivery's body", () => {
  it.each(objects.map((o, i) => [o.object as string, i] as const))(
    "when a %s event is rendered at the current version, then its bytes are exactly the envelope serialised whole",
    (object, i) => {
      const row = {
        id: `evt_envelopeTest000${i}`,
        type: `${object}.created`,
        // As recordEvent stores it.
        data: JSON.stringify(objects[i]),
        created_at: "2026-05-07T12:00:00.000Z",
      };
      const body = renderEventBody(row, API_VERSION, true);
      expect(body).toBe(JSON.stringify(renderEvent(row, API_VERSION)));
      expect(JSON.parse(body).data.object).toEqual(objects[i]);
    },
  );

  it("when a body does not match its version's document, then it is refused before it is stored, naming the field", () => {
    const row = {
      id: "evt_envelopeTestBad0",
      type: "listing.created",
      data: JSON.stringify({ ...objects[0], brand: 42 }),
      created_at: "2026-05-07T12:00:00.000Z",
    };
    expect(() => renderEventBody(row, API_VERSION, true)).toThrow(
      /webhook listing.created rendered for 2026-05-07 does not match that version's document: \/data\/object\/brand must be string/,
    );
  });

  it("when checking is off (production), then the same body is rendered as it is, unchecked", () => {
    const row = {
      id: "evt_envelopeTestBad1",
      type: "listing.created",
      data: JSON.stringify({ ...objects[0], brand: 42 }),
      created_at: "2026-05-07T12:00:00.000Z",
    };
    expect(JSON.parse(renderEventBody(row, API_VERSION, false)).data.object.brand).toBe(42);
  });
});
