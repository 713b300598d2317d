import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  MAX_RETRY_AFTER_MS,
  nextRetry,
  parseRetryAfter,
  parseRetrySchedule,
  STANDARD_RETRY_SCHEDULE_MS,
  withJitter,
} from "../../server/webhooks/retry-schedule.ts";
import { constantRandom, seededRandom } from "./clock.ts";

const H = 3_600_000;

describe("retry schedule", () => {
  it("when nothing is configured, then it is the Standard Webhooks schedule of ten attempts", () => {
    expect(STANDARD_RETRY_SCHEDULE_MS).toEqual([
      0,
      5_000,
      300_000,
      1_800_000,
      2 * H,
      5 * H,
      10 * H,
      14 * H,
      20 * H,
      24 * H,
    ]);
  });

  it.each([
    // [attempts made, expected delay without jitter]
    [1, 5_000],
    [2, 300_000],
    [9, 24 * H],
  ])("when attempt %i fails, then the next waits %i ms (no jitter)", (made, delay) => {
    const policy = { ...DEFAULT_RETRY_POLICY, jitter: 0 };
    expect(nextRetry(policy, made, seededRandom())).toEqual({ kind: "retry", delayMs: delay });
  });

  it("when the last attempt fails, then the delivery is a dead letter", () => {
    expect(nextRetry(DEFAULT_RETRY_POLICY, 10, seededRandom())).toEqual({ kind: "dead_letter" });
  });

  it.each([
    [0x00, 0.8],
    [0xff, 1.2],
    [0x80, 1.0],
  ])("when random bytes are 0x%s, then jitter scales the delay by about %d", (byte, factor) => {
    expect(withJitter(100_000, 0.2, constantRandom(byte)) / 100_000).toBeCloseTo(factor, 2);
  });

  it("when jitter is applied many times, then every delay stays within ±20 % and they differ", () => {
    const random = seededRandom(99);
    const delays = Array.from({ length: 200 }, () => withJitter(10_000, 0.2, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(8_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(12_000);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });

  it("when a Retry-After is given, then it replaces the scheduled delay, clamped to 24 h", () => {
    const r = seededRandom();
    expect(nextRetry(DEFAULT_RETRY_POLICY, 1, r, 42_000)).toEqual({
      kind: "retry",
      delayMs: 42_000,
    });
    expect(nextRetry(DEFAULT_RETRY_POLICY, 1, r, 10 * 24 * H)).toEqual({
      kind: "retry",
      delayMs: MAX_RETRY_AFTER_MS,
    });
    expect(nextRetry(DEFAULT_RETRY_POLICY, 10, r, 1_000)).toEqual({ kind: "dead_letter" });
  });

  it.each([
    ["0,5,300", [0, 5_000, 300_000]],
    ["0, 0.05 ,1", [0, 50, 1_000]],
  ])("when WTH_WEBHOOK_RETRY_SCHEDULE is %j, then the schedule is %j ms", (text, want) => {
    expect(parseRetrySchedule(text)).toEqual(want);
  });

  it.each(["", "0,,5", "0,-1", "0,soon"])("when the schedule is %j, then it is refused", (text) => {
    expect(() => parseRetrySchedule(text)).toThrow(/seconds/);
  });
});

describe("Retry-After", () => {
  const now = new Date("2026-05-07T12:00:00.000Z");
  it.each([
    ["120", 120_000],
    ["0", 0],
    ["Thu, 07 May 2026 12:01:30 GMT", 90_000],
    ["Thu, 07 May 2026 11:00:00 GMT", 0],
    ["soon", null],
    ["-5", null],
    [undefined, null],
  ])("when the header is %j, then the delay is %j ms", (value, want) => {
    expect(parseRetryAfter(value, now)).toBe(want);
  });
});
