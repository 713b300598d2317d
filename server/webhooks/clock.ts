import type { Clock, Random } from "../deps.ts";

export type { Clock, Random as RandomSource };

/** A uniform float in [0, 1) from the injected random source. */
export function randomUnit(random: Random): number {
  return random.bytes(4).readUInt32BE(0) / 0x1_0000_0000;
}
