/**
 * The throttling settings read from the environment: defaults, overrides, and a malformed value
 * stopping start-up with one line naming the variable.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.ts";

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
