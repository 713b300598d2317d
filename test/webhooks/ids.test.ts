import { describe, expect, it } from "vitest";
import { deliveryIds } from "../../server/webhooks/ids.ts";
import { constantRandom, seededRandom } from "./clock.ts";

describe("delivery ids", () => {
  it("when a batch is made, then each id is wd_ and 24 base62 characters, all distinct", () => {
    const ids = deliveryIds(seededRandom(7), new Date("2026-05-07T12:00:00.000Z"), 500);
    expect(ids).toHaveLength(500);
    for (const id of ids) expect(id).toMatch(/^wd_[0-9A-Za-z]{24}$/);
    expect(new Set(ids).size).toBe(500);
  });

  it("when ids are made later, then they sort after earlier ones (byte order), whatever the random part", () => {
    const t0 = Date.parse("2026-05-07T12:00:00.000Z");
    const earlier = deliveryIds(constantRandom(61), new Date(t0), 1)[0] ?? "";
    for (const later of [1, 61, 62, 3_600_000, 86_400_000 * 365 * 40]) {
      const id = deliveryIds(constantRandom(0), new Date(t0 + later), 1)[0] ?? "";
      expect(Buffer.compare(Buffer.from(earlier), Buffer.from(id))).toBe(-1);
    }
  });

  it("when the random source returns bytes that would bias the alphabet, then they are skipped", () => {
    let calls = 0;
    const biased = {
      bytes(n: number): Buffer {
        calls++;
        // The first call is all bytes ≥ 248 (unusable); later calls are usable.
        return Buffer.alloc(n, calls === 1 ? 250 : 5);
      },
    };
    const [id] = deliveryIds(biased, new Date(0), 1);
    expect(id).toBe(`wd_00000000${"5".repeat(16)}`);
    expect(calls).toBe(2);
  });
});
