import { describe, expect, it } from "vitest";
import { renderEvent } from "../../server/events/outbox.ts";
import { renderEventBody } from "../../server/webhooks/envelope.ts";
import { API_VERSION } from "./harness.ts";

const objects = [
  { id: "lst_1", object: "listing", brand: "Rolex", price: 1_250_000, box: true, year: null },
  {
    id: "cus_1",
    object: "customer",
    name: 'Zoë "the collector" Ångström ⌚',
    metadata: { nested: { list: [1, 2.5, -0.001, 1e21, "\u2028", "</script>"] } },
  },
  { id: "ord_1", object: "order", lines: [], notes: "line\nbreak\ttab\\backslash" },
];

describe("a delivery's body", () => {
  it.each(objects.map((o, i) => [o.object, i] as const))(
    "when a %s event is rendered at the current version, then its bytes are exactly the envelope serialised whole",
    (object, i) => {
      const row = {
        id: `evt_${i}`,
        type: `${object}.created`,
        // As recordEvent stores it.
        data: JSON.stringify(objects[i]),
        created_at: "2026-05-07T12:00:00.000Z",
      };
      const body = renderEventBody(row, API_VERSION);
      expect(body).toBe(JSON.stringify(renderEvent(row, API_VERSION)));
      expect(JSON.parse(body).data.object).toEqual(objects[i]);
    },
  );
});
