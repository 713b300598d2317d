import { describe, expect, it } from "vitest";
import { backoffDelay, isRetriableStatus, parseRetryAfter } from "../src/retry.ts";

describe("isRetriableStatus", () => {
  const table: [number, string | undefined, boolean][] = [
    [400, "parameter_invalid", false],
    [401, "invalid_api_key", false],
    [404, "resource_not_found", false],
    [409, "idempotency_key_in_use", true],
    [409, "listing_sold", false],
    [409, undefined, false],
    [422, "idempotency_key_reused", false],
    [429, "rate_limited", true],
    [500, "internal_error", true],
    [502, undefined, true],
    [503, "service_unavailable", true],
  ];
  it.each(table)(
    "when the status is %i with code %s, then retrying is %s",
    (status, code, want) => {
      expect(isRetriableStatus(status, code)).toBe(want);
    },
  );
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-05-07T12:00:00Z");
  const table: [string | null, number | undefined][] = [
    [null, undefined],
    ["0", 0],
    ["2", 2000],
    ["1.5", 1500],
    ["Thu, 07 May 2026 12:00:10 GMT", 10_000],
    ["Thu, 07 May 2026 11:59:00 GMT", 0],
    ["soon", undefined],
  ];
  it.each(table)("when Retry-After is %s, then the wait is %s ms", (value, want) => {
    expect(parseRetryAfter(value, now)).toBe(want);
  });
});

describe("backoffDelay", () => {
  it("when retries go on, then the step doubles from 500 ms up to 8 s, half of it jittered", () => {
    const low = [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, () => 0));
    const high = [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, () => 0.999999));
    expect(low).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect(high).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
});
