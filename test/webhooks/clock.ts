import type { Clock, Random } from "../../server/deps.ts";

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | number = Date.now()) {
    this.#ms = typeof start === "number" ? start : start.getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

/** Deterministic bytes (xorshift32) so jitter and IDs repeat from run to run. */
export function seededRandom(seed = 0x2545f491): Random {
  let state = seed >>> 0 || 1;
  return {
    bytes(n: number): Buffer {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) {
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        out[i] = state & 0xff;
      }
      return out;
    },
  };
}

/** Bytes that are all `value`: randomUnit() then returns a known number. */
export function constantRandom(value: number): Random {
  return { bytes: (n) => Buffer.alloc(n, value) };
}
