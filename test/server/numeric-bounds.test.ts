/**
 * Property: every integer or number a request can carry (body fields and query parameters of
 * every operation in the newest document) is bounded and formatted, and at each documented bound
 * and one step past it the server answers either success, with the value read back exactly from
 * storage, or a 400 that names the field. Never a 5xx, never a silently changed value.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listingAndCustomer, startTestServer, type TestServer } from "./harness.ts";
import { type Doc, resolve, validArb } from "./schema-arbitrary.ts";

type Schema = Record<string, unknown>;

interface NumericField {
  operationId: string;
  method: string;
  template: string;
  in: "body" | "query";
  /** Dotted path inside the body, or the query parameter's name. */
  name: string;
  schema: Schema;
  bodySchema: Schema | undefined;
}

const SAFE = Number.MAX_SAFE_INTEGER;

function isNumeric(s: Schema): boolean {
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type];
  return types.includes("integer") || types.includes("number");
}

/** Numeric properties of a body schema, nested objects included, as dotted paths. */
function numericProperties(doc: Doc, schema: Schema, prefix = ""): Array<[string, Schema]> {
  const s = resolve(doc, schema);
  const out: Array<[string, Schema]> = [];
  for (const [name, raw] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
    const p = resolve(doc, raw);
    if (isNumeric(p)) out.push([`${prefix}${name}`, p]);
    else if (p.properties !== undefined)
      out.push(...numericProperties(doc, p, `${prefix}${name}.`));
  }
  return out;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let at = target;
  for (const part of parts.slice(0, -1)) {
    at[part] = { ...((at[part] as Record<string, unknown> | undefined) ?? {}) };
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1] as string] = value;
}

function getPath(source: unknown, dotted: string): unknown {
  let at = source;
  for (const part of dotted.split(".")) at = (at as Record<string, unknown> | undefined)?.[part];
  return at;
}

describe("property: numeric request fields at their bounds", () => {
  let srv: TestServer;
  let key: string;
  let doc: Doc & { paths: Record<string, Record<string, Record<string, unknown>>> };
  const fields: NumericField[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    srv = await startTestServer();
    key = (await srv.integration("test")).key;
    // A public IP literal: accepted without DNS, never contacted (no worker runs here).
    const endpoint = await srv.request("POST", "/v1/webhook_endpoints", {
      key,
      body: { url: "https://93.184.216.34/hooks", enabled_events: ["*"] },
    });
    if (endpoint.status !== 201) throw new Error(`endpoint: ${endpoint.text}`);
    ids.webhook_endpoint_id = endpoint.body.id;
    const sold = await listingAndCustomer(srv, key);
    const order = await srv.request("POST", "/v1/orders", {
      key,
      body: { listing: sold.listing, customer: sold.customer },
    });
    if (order.status !== 201) throw new Error(`order: ${order.text}`);
    ids.order_id = order.body.id;
    const { listing, customer } = await listingAndCustomer(srv, key, { publish: false });
    ids.listing_id = listing;
    ids.customer_id = customer;
    const events = await srv.request("GET", "/v1/events?limit=1", { key });
    ids.event_id = events.body.data[0].id;

    doc = srv.deps.versions.document(srv.deps.versions.newest) as unknown as typeof doc;
    for (const [template, item] of Object.entries(doc.paths)) {
      const shared = ((item.parameters as unknown as Schema[]) ?? []).map((p) => resolve(doc, p));
      for (const [method, op] of Object.entries(item)) {
        if (method === "parameters") continue;
        const params = [
          ...shared,
          ...((op.parameters as Schema[]) ?? []).map((p) => resolve(doc, p)),
        ];
        const content = (resolve(doc, (op.requestBody as Schema) ?? {}).content ?? {}) as Record<
          string,
          { schema: Schema }
        >;
        const bodySchema = content["application/json"]?.schema;
        const base = {
          operationId: op.operationId as string,
          method: method.toUpperCase(),
          template,
          bodySchema,
        };
        for (const p of params) {
          const schema = resolve(doc, (p.schema as Schema) ?? {});
          if (p.in === "query" && isNumeric(schema)) {
            fields.push({ ...base, in: "query", name: p.name as string, schema });
          }
        }
        if (bodySchema !== undefined) {
          for (const [name, schema] of numericProperties(doc, bodySchema)) {
            fields.push({ ...base, in: "body", name, schema });
          }
        }
      }
    }
  });
  afterAll(() => srv.close());

  it("when the document is read, then every numeric request field has a minimum, a maximum within safe integers and an int32/int64 format", () => {
    expect(fields.length).toBeGreaterThanOrEqual(4);
    for (const f of fields) {
      const where = `${f.operationId} ${f.in} ${f.name}`;
      expect(typeof f.schema.minimum, `${where}: minimum`).toBe("number");
      expect(typeof f.schema.maximum, `${where}: maximum`).toBe("number");
      expect(f.schema.maximum as number, `${where}: maximum`).toBeLessThanOrEqual(SAFE);
      expect(f.schema.minimum as number, `${where}: minimum`).toBeGreaterThanOrEqual(-SAFE);
      expect(["int32", "int64"], `${where}: format`).toContain(f.schema.format);
      if (f.schema.format === "int32") {
        expect(f.schema.maximum as number, `${where}: int32 maximum`).toBeLessThanOrEqual(
          2 ** 31 - 1,
        );
      }
    }
  });

  it("when each numeric field is sent at its bounds and one past them, then it is stored exactly or refused with a 400 naming it", async () => {
    let stored = 0;
    let refused = 0;
    for (const f of fields) {
      // Without a documented bound, the storage's and JSON's limits are the real ones.
      const min = (f.schema.minimum as number | undefined) ?? -SAFE;
      const max = (f.schema.maximum as number | undefined) ?? SAFE;
      // One past the largest safe integer cannot be written in JSON exactly; 2^53 is the next
      // representable value, and a string of digits sends the exact neighbour regardless.
      const candidates: Array<{ value: number | string; inRange: boolean }> = [
        { value: min - 1, inRange: false },
        { value: min, inRange: true },
        { value: max, inRange: true },
        { value: max + 1 > SAFE ? "9007199254740993" : max + 1, inRange: false },
      ];
      for (const { value, inRange } of candidates) {
        const path = f.template.replace(/\{([^}]+)\}/g, (_m, n: string) => ids[n] ?? "missing");
        let url = path;
        let rawBody: string | undefined;
        if (f.in === "query") {
          url = `${path}?${f.name}=${value}`;
        } else {
          const sample = fc.sample(validArb(doc, f.bodySchema as Schema), { numRuns: 1, seed: 7 });
          const body = { ...(sample[0] as Record<string, unknown>) };
          setPath(body, f.name, 0); // a placeholder replaced textually so big digits stay exact
          rawBody = JSON.stringify(body).replace(
            new RegExp(`"${f.name.split(".").pop()}":0`),
            `"${f.name.split(".").pop()}":${value}`,
          );
        }
        const res = await srv.request(f.method, url, {
          key,
          rawBody,
          headers: rawBody === undefined ? {} : { "content-type": "application/json" },
        });
        const where = `${f.operationId} ${f.in} ${f.name}=${value} → ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.status, where).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.status, where).toBe(400);
          expect(res.body.error.param, where).toBe(f.name);
          expect(inRange, `a value inside the documented bounds was refused: ${where}`).toBe(false);
          refused++;
          continue;
        }
        expect(inRange, `a value outside the documented bounds was accepted: ${where}`).toBe(true);
        if (f.in === "body") {
          const echoed = getPath(res.body, f.name);
          if (echoed !== undefined) expect(echoed, where).toBe(value);
          // Read back from storage through the resource's own GET, when it has one.
          const id = res.body?.id as string | undefined;
          if (id !== undefined && f.name in (res.body as object)) {
            const itemPath = f.method === "PATCH" ? path : `${path}/${id}`;
            const again = await srv.request("GET", itemPath, { key });
            expect(again.status, where).toBe(200);
            expect(getPath(again.body, f.name), where).toBe(value);
            stored++;
          }
        }
      }
    }
    expect(stored).toBeGreaterThanOrEqual(4);
    expect(refused).toBeGreaterThanOrEqual(fields.length);
  });
});
