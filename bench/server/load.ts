/**
 * The load generator, in its own process so that it does not share an event loop with the
 * server it measures. Reads its options as JSON from argv, prints autocannon's result as JSON.
 */
import autocannon from "autocannon";

const opts = JSON.parse(process.argv[2] ?? "{}") as {
  url: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
};
const result = await autocannon({
  url: opts.url,
  headers: opts.headers,
  connections: opts.connections,
  duration: opts.duration,
});
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  })}\n`,
);
