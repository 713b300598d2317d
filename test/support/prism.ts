/**
 * A third party's reading of the contract: Stoplight Prism's validating proxy
 * (`prism proxy <document> <upstream> --errors`) as a child process on 127.0.0.1, random port,
 * in front of a server under test. The document is a local file and the upstream is loopback, so
 * Prism reaches no network. With `--errors` Prism refuses a request the document forbids (it never
 * reaches the server) and replaces a response the document forbids with a 500 naming the
 * violations; `prismVerdict` tells those apart from the server's own answers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { repoRoot } from "../../server/versions/registry.ts";

const PRISM = path.join(repoRoot, "node_modules/@stoplight/prism-cli/dist/index.js");
const PRISM_ERRORS = "https://stoplight.io/prism/errors#";

export interface Prism {
  url: string;
  /** Prism's own output (its tail), for the message of a failing test. */
  output(): string;
  /** Every "Violation: …" line Prism logged, of any severity, request or response. */
  violations(): string[];
  stop(): Promise<void>;
}

/** Starts the proxy for the generated document of `version` in front of `upstream`. */
export async function startPrism(upstream: string, version: string): Promise<Prism> {
  const document = path.join(repoRoot, "generated", version, "openapi.json");
  const child: ChildProcess = spawn(
    process.execPath,
    // --no-cors: replies carry the server's headers only. No colour, so the "listening" line
    // below matches.
    [PRISM, "proxy", document, upstream, "--errors", "--no-cors", "-h", "127.0.0.1", "-p", "0"],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } },
  );
  let output = "";
  const violations: string[] = [];
  let partial = "";
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line.includes("Violation:")) violations.push(line.trim());
    output += text;
    // The proxy logs every request; keep the tail, which is what explains a failure.
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`prism did not start within 60 s:\n${output.slice(-2000)}`)),
      60_000,
    );
    const onData = () => {
      const match = /Prism is listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      resolve(Number(match[1]));
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output.slice(-4000),
    violations: () => [...violations],
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const exited = once(child, "exit");
      process.kill(child.pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface Violation {
  location?: string[];
  severity?: string;
  code?: string | number;
  message?: string;
}

export type PrismVerdict =
  /** The server's answer, passed through: the request and the response both conform. */
  | { kind: "passed" }
  /** Prism refused the request as the document forbids it; the server never saw it. */
  | { kind: "request-violation"; problem: string; violations: Violation[] }
  /** The server's response breaks the document. */
  | { kind: "response-violation"; violations: Violation[] }
  /** Prism itself failed (upstream unreachable, a path it cannot route, …). */
  | { kind: "prism-error"; problem: string; detail: string };

const REFUSALS = new Set([
  "UNPROCESSABLE_ENTITY",
  "UNAUTHORIZED",
  "INVALID_CONTENT_TYPE",
  "NOT_ACCEPTABLE",
  "NO_PATH_MATCHED_ERROR",
  "NO_METHOD_MATCHED_ERROR",
]);

/** Reads what Prism did with one exchange from the reply it gave. */
export function prismVerdict(reply: {
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: a reply body is arbitrary JSON
  body: any;
}): PrismVerdict {
  const contentType = reply.headers.get("content-type") ?? "";
  const type = typeof reply.body?.type === "string" ? (reply.body.type as string) : "";
  if (!contentType.startsWith("application/problem+json") || !type.startsWith(PRISM_ERRORS)) {
    // Violations below error severity do not replace the reply; Prism lists them in a header.
    const listed = reply.headers.get("sl-violations");
    const onResponse = listed?.startsWith("[")
      ? (JSON.parse(listed) as Violation[]).filter((v) => v.location?.[0] === "response")
      : [];
    return onResponse.length > 0
      ? { kind: "response-violation", violations: onResponse }
      : { kind: "passed" };
  }
  const problem = type.slice(PRISM_ERRORS.length);
  const violations = (
    Array.isArray(reply.body.validation) ? reply.body.validation : []
  ) as Violation[];
  if (problem === "VIOLATIONS") return { kind: "response-violation", violations };
  if (REFUSALS.has(problem)) return { kind: "request-violation", problem, violations };
  return { kind: "prism-error", problem, detail: String(reply.body.detail ?? "") };
}

/** One line per violation, for assertion messages. */
export function describeViolations(violations: Violation[]): string {
  return violations
    .map((v) => `${(v.location ?? []).join(".")}: ${v.message ?? v.code ?? "?"}`)
    .join("; ");
}
