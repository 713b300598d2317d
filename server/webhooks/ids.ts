import type { Random } from "../deps.ts";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TIME_CHARS = 8;
const RANDOM_CHARS = 16;

/**
 * `n` delivery ids, `wd_` + 24 base62 characters like every id (DESIGN.md): 8 characters of the
 * creation time in milliseconds, then 16 random ones (95 bits, unbiased: bytes ≥ 248 are
 * dropped). The time prefix makes new ids sort after older ones, so inserts land at the end of
 * the id indexes (`webhook_deliveries.id`, `webhook_attempts`' key) instead of on a random page
 * each; the random bytes of a whole batch come from one call.
 */
export function deliveryIds(random: Random, now: Date, n: number): string[] {
  if (n === 0) return [];
  let ms = Math.max(0, Math.floor(now.getTime()));
  let prefix = "";
  for (let i = 0; i < TIME_CHARS; i++) {
    prefix = ALPHABET[ms % 62] + prefix;
    ms = Math.floor(ms / 62);
  }
  prefix = `wd_${prefix}`;
  const ids: string[] = [];
  let current = "";
  while (ids.length < n) {
    // ~3 % of bytes are dropped; ask for a little more than needed.
    const bytes = random.bytes(Math.ceil((n - ids.length) * RANDOM_CHARS * 1.05) + 8);
    for (let i = 0; i < bytes.length && ids.length < n; i++) {
      const byte = bytes[i] as number;
      if (byte >= 248) continue;
      current += ALPHABET[byte % 62];
      if (current.length === RANDOM_CHARS) {
        ids.push(prefix + current);
        current = "";
      }
    }
  }
  return ids;
}
