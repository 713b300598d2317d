/**
 * The soak's load, a process of its own: it creates one webhook endpoint per receiver fault, then
 * sends a steady mix of writes (each records an event) and reads at `rate` requests/s until the
 * parent says stop, and reports what it sent and what came back. It never bursts to catch up: a
 * request that would start late is counted as late and the schedule moves on.
 * argv[2]: JSON { baseUrl, key, rate, endpoints: { path: { url, events } } }.
 */
interface Options {
  baseUrl: string;
  key: string;
  rate: number;
  endpoints: Record<string, { url: string; events: string[] }>;
}

const opts = JSON.parse(process.argv[2] ?? "{}") as Options;
const MAX_IN_FLIGHT = 32;
const POOL = 200;

const stats = {
  sent: 0,
  late: 0,
  byStatus: {} as Record<string, number>,
  /** 2xx writes other than to webhook endpoints, each of which records one event or more. */
  writes: 0,
  networkErrors: 0,
  /** Requests sent again after a reset of a reused keep-alive connection (see call). */
  resetsRetried: 0,
  serverErrors: [] as string[],
};

/** The few fields of a reply the load reads. */
interface Reply {
  id?: string;
  next_cursor?: string | null;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Reply | undefined }> {
  stats.sent++;
  // Every POST carries an Idempotency-Key, so sending it again replays rather than repeats it.
  const idempotencyKey = method === "POST" ? `soak-${process.pid}-${stats.sent}` : undefined;
  const send = () =>
    fetch(`${opts.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${opts.key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  try {
    let res: Response;
    try {
      res = await send();
    } catch (err) {
      // On a starved machine a keep-alive connection is sometimes reused just as the server's
      // keep-alive timer closes it; as the generated client does (docs/client.md), send once more.
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (code !== "ECONNRESET" && code !== "UND_ERR_SOCKET") throw err;
      stats.resetsRetried++;
      res = await send();
    }
    const text = await res.text();
    stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
    if (res.status >= 500 && stats.serverErrors.length < 20) {
      stats.serverErrors.push(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
    }
    // Endpoint changes (creating them, re-enabling /gone) record no event; every other write does.
    if (res.ok && method !== "GET" && !path.startsWith("/v1/webhook_endpoints")) stats.writes++;
    return { status: res.status, json: text === "" ? undefined : (JSON.parse(text) as Reply) };
  } catch (err) {
    stats.networkErrors++;
    if (stats.serverErrors.length < 20) {
      const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
      stats.serverErrors.push(
        `${method} ${path} → ${(err as Error).message} (${cause?.code ?? cause?.message ?? "no cause"})`,
      );
    }
    return { status: 0, json: undefined };
  }
}

function keep(pool: string[], id: string | undefined): void {
  if (typeof id !== "string") return;
  pool.push(id);
  if (pool.length > POOL) pool.shift();
}
const pick = (pool: string[]): string | undefined => pool[Math.floor(Math.random() * pool.length)];

const drafts: string[] = [];
const published: string[] = [];
const customers: string[] = [];
const orders: string[] = [];
const endpoints: Record<string, string> = {};
let n = 0;

/** One step of the mix; the index walks a fixed cycle of writes and reads. */
async function step(i: number): Promise<void> {
  const listing = () => ({
    brand: "Rolex",
    model: "Submariner Date",
    reference_number: `126610LN-${i}`,
    condition: "excellent",
    price: 1_000_000 + (i % 1000),
    currency: "EUR",
    metadata: { soak: String(i) },
  });
  switch (i % 12) {
    case 0:
      keep(drafts, (await call("POST", "/v1/listings", listing())).json?.id);
      return;
    case 1: {
      const id = pick(drafts) ?? pick(published);
      if (id !== undefined) await call("PATCH", `/v1/listings/${id}`, { price: 900_000 + i });
      return;
    }
    case 2: {
      const id = drafts.shift();
      if (id === undefined) return;
      const res = await call("POST", `/v1/listings/${id}/publish`);
      if (res.status === 200) keep(published, id);
      return;
    }
    case 3: {
      const page = await call("GET", "/v1/listings?limit=20");
      const cursor = page.json?.next_cursor;
      if (typeof cursor === "string") {
        await call("GET", `/v1/listings?limit=20&starting_after=${encodeURIComponent(cursor)}`);
      }
      return;
    }
    case 4:
      keep(
        customers,
        (await call("POST", "/v1/customers", { email: `c${i}@example.com`, name: `Customer ${i}` }))
          .json?.id,
      );
      return;
    case 5: {
      const l = published.shift();
      const c = pick(customers);
      if (l === undefined || c === undefined) return;
      keep(orders, (await call("POST", "/v1/orders", { listing: l, customer: c })).json?.id);
      return;
    }
    case 6:
      await call("GET", "/v1/events?limit=20");
      return;
    case 7: {
      const o = orders.shift();
      if (o !== undefined) await call("POST", `/v1/test/orders/${o}/pay`);
      return;
    }
    case 8:
      await call("GET", `/v1/webhook_endpoints/${endpoints["/ok"]}/deliveries?limit=10`);
      return;
    case 9: {
      const c = pick(customers);
      if (c !== undefined) await call("PATCH", `/v1/customers/${c}`, { name: `Renamed ${i}` });
      return;
    }
    case 10: {
      const o = pick(orders);
      await call("GET", o === undefined ? "/v1/orders?limit=5" : `/v1/orders/${o}`);
      return;
    }
    default:
      await call("GET", "/v1/integration");
  }
}

async function main(): Promise<void> {
  for (const [path, { url, events }] of Object.entries(opts.endpoints)) {
    const res = await call("POST", "/v1/webhook_endpoints", {
      url,
      enabled_events: events,
      description: `soak ${path}`,
    });
    if (res.status !== 201) throw new Error(`creating the ${path} endpoint: ${res.status}`);
    endpoints[path] = String(res.json?.id);
  }
  process.send?.({ endpoints });

  let stopping = false;
  process.on("message", (m: { stop?: boolean }) => {
    if (m.stop) stopping = true;
  });
  let inFlight = 0;
  const started = performance.now();
  let lastRevive = started;
  while (!stopping) {
    const due = started + (n * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else if (-wait > 1000 / opts.rate) stats.late++;
    if (performance.now() - lastRevive > 10_000 && endpoints["/gone"] !== undefined) {
      // A 410 disables the endpoint; turning it back on keeps that path in the mix.
      lastRevive = performance.now();
      void call("PATCH", `/v1/webhook_endpoints/${endpoints["/gone"]}`, { status: "enabled" });
    }
    if (inFlight >= MAX_IN_FLIGHT) {
      stats.late++;
      n++;
      continue;
    }
    inFlight++;
    const i = n++;
    void step(i).finally(() => inFlight--);
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  process.send?.({ done: { ...stats, seconds: (performance.now() - started) / 1000 } });
  process.disconnect?.();
}

main().catch((err: unknown) => {
  process.stderr.write(`soak load: ${(err as Error).message}\n`);
  process.exit(1);
});
