import type { Random } from "./deps.ts";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const PREFIXES = ["int", "key", "lst", "cus", "ord", "evt", "we", "wd", "req"] as const;

export type IdPrefix = (typeof PREFIXES)[number];

export function isIdPrefix(prefix: string): prefix is IdPrefix {
  return (PREFIXES as readonly string[]).includes(prefix);
}

/** `length` base62 characters, unbiased (bytes ≥ 248 are dropped rather than folded). */
export function base62(random: Random, length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of random.bytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** `<prefix>_` + 24 base62 characters, as DESIGN.md fixes. */
export function newId(random: Random, prefix: IdPrefix): string {
  return `${prefix}_${base62(random, 24)}`;
}
