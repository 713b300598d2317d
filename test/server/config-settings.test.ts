/**
 * The configuration read from the environment: defaults, overrides, and a malformed value or an
 * unknown WTH_ variable stopping start-up with one line naming the variable.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, KNOWN_WTH_VARIABLES, loadConfig } from "../../server/config.ts";
import { DEFAULT_WEBHOOK_SETTINGS } from "../../server/webhooks/settings.ts";

describe("throttling settings", () => {
  it("when nothing is set, then 20 failed-key requests at once and 1/s per address, no proxy trusted", () => {
    const config = loadConfig({});
    expect(config.authFailureLimit).toEqual({ perSecond: 1, burst: 20 });
    expect(config.trustProxyHops).toBe(0);
  });

  it("when they are set, then they are used", () => {
    const config = loadConfig({
      WTH_AUTH_FAILURES_PER_SECOND: "3",
      WTH_AUTH_FAILURES_BURST: "50",
      WTH_TRUST_PROXY: "1",
    });
    expect(config.authFailureLimit).toEqual({ perSecond: 3, burst: 50 });
    expect(config.trustProxyHops).toBe(1);
  });

  it.each([
    ["WTH_AUTH_FAILURES_PER_SECOND", "0"],
    ["WTH_AUTH_FAILURES_BURST", "many"],
    ["WTH_TRUST_PROXY", "-1"],
  ])("when %s is %s, then a ConfigError names it", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be`));
  });
});

describe("loadConfig", () => {
  it("when nothing is set, then every setting has its documented default", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      databaseUrl: undefined,
      databasePoolSize: 10,
      nodeEnv: "development",
      production: false,
      secretKey: undefined,
      rateLimit: { perSecond: 100, burst: 200 },
      logLevel: "info",
      shutdownGraceMs: 10_000,
      embeddedWorker: true,
    });
    expect(config.webhooks).toEqual(DEFAULT_WEBHOOK_SETTINGS);
  });

  it("when the webhook settings are set, then the worker's settings carry them", () => {
    const config = loadConfig({
      WTH_ALLOW_PRIVATE_WEBHOOK_URLS: "1",
      WTH_WEBHOOK_WORKER: "0",
      WTH_WEBHOOK_RETRY_SCHEDULE: "0,5,300",
      WTH_WEBHOOK_JITTER_PERCENT: "10",
      WTH_WEBHOOK_TIMEOUT_MS: "2000",
      WTH_WEBHOOK_LEASE_MS: "5000",
      WTH_WEBHOOK_CONCURRENCY: "8",
      WTH_WEBHOOK_CONNECTIONS: "2",
      WTH_WEBHOOK_IN_FLIGHT_PER_ORIGIN: "3",
      WTH_WEBHOOK_POLL_MS: "10",
      WTH_WEBHOOK_IDLE_MAX_MS: "500",
      WTH_WEBHOOK_MAX_RESPONSE_BYTES: "0",
    });
    expect(config.embeddedWorker).toBe(false);
    expect(config.webhooks).toEqual({
      retry: { scheduleMs: [0, 5_000, 300_000], jitter: 0.1 },
      timeoutMs: 2000,
      maxResponseBytes: 0,
      leaseMs: 5000,
      concurrency: 8,
      connectionsPerOrigin: 2,
      inFlightPerOrigin: 3,
      pollMs: 10,
      idleMaxMs: 500,
      allowPrivate: true,
      checkBodies: true,
    });
  });

  it("when only the connections per origin are set, then attempts in flight per origin default to twice them", () => {
    expect(loadConfig({}).webhooks.inFlightPerOrigin).toBe(32);
    expect(loadConfig({ WTH_WEBHOOK_CONNECTIONS: "5" }).webhooks.inFlightPerOrigin).toBe(10);
  });

  it("when NODE_ENV is production, then webhook bodies are not checked against the document, and otherwise they are", () => {
    expect(loadConfig({ NODE_ENV: "production" }).webhooks.checkBodies).toBe(false);
    expect(loadConfig({ NODE_ENV: "test" }).webhooks.checkBodies).toBe(true);
  });

  it("when the client's, the receiver's and the test tools' WTH_ variables are set, then they are not unknown", () => {
    const env: NodeJS.ProcessEnv = {};
    for (const name of KNOWN_WTH_VARIABLES) env[name] = "";
    expect(() =>
      loadConfig({
        ...env,
        WTH_API_KEY: "wth_test_x",
        WTH_BASE_URL: "http://127.0.0.1:1",
        WTH_WEBHOOK_SECRET: "whsec_x",
        WTH_TEST_BACKEND: "postgres",
      }),
    ).not.toThrow();
  });

  it.each([
    [
      "WTH_RATE_LIMT_BURST",
      /^WTH_RATE_LIMT_BURST is not a setting \(did you mean WTH_RATE_LIMIT_BURST\?\)/,
    ],
    [
      "WTH_NOTHING_LIKE_IT",
      /^WTH_NOTHING_LIKE_IT is not a setting; the settings are listed in docs\/deploy.md$/,
    ],
  ])("when the unknown variable %s is set, then a ConfigError names it", (name, message) => {
    expect(() => loadConfig({ [name]: "1" })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: "1" })).toThrow(message);
  });

  it.each([
    ["PORT", "70000", /^PORT must be an integer from 0 to 65535, got "70000"$/],
    ["PORT", "3e3", /^PORT must be an integer/],
    ["WTH_RATE_LIMIT_BURST", "1.5", /^WTH_RATE_LIMIT_BURST must be an integer ≥ 1/],
    [
      "WTH_ALLOW_PRIVATE_WEBHOOK_URLS",
      "yes",
      /^WTH_ALLOW_PRIVATE_WEBHOOK_URLS must be 0 or 1, got "yes"$/,
    ],
    ["WTH_WEBHOOK_WORKER", "false", /^WTH_WEBHOOK_WORKER must be 0 or 1/],
    [
      "WTH_WEBHOOK_IN_FLIGHT_PER_ORIGIN",
      "0",
      /^WTH_WEBHOOK_IN_FLIGHT_PER_ORIGIN must be an integer ≥ 1/,
    ],
    [
      "WTH_WEBHOOK_JITTER_PERCENT",
      "101",
      /^WTH_WEBHOOK_JITTER_PERCENT must be an integer from 0 to 100/,
    ],
    [
      "WTH_WEBHOOK_TIMEOUT_MS",
      "3000000000",
      /^WTH_WEBHOOK_TIMEOUT_MS must be an integer from 1 to 2147483647/,
    ],
    ["WTH_WEBHOOK_RETRY_SCHEDULE", "0,,5", /^WTH_WEBHOOK_RETRY_SCHEDULE: /],
    ["WTH_WEBHOOK_LEASE_MS", "100", /^WTH_WEBHOOK_LEASE_MS must exceed WTH_WEBHOOK_TIMEOUT_MS/],
    ["WTH_SECRET_KEY", "short", /^WTH_SECRET_KEY must be at least 32 characters$/],
    [
      "LOG_LEVEL",
      "verbose",
      /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"$/,
    ],
    ["DATABASE_URL", "mysql://x", /^DATABASE_URL must be a postgres/],
  ])("when %s is %s, then a one-line ConfigError names it", (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });
});
