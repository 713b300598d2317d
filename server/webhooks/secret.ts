import { createCipheriv, createDecipheriv, hkdfSync } from "node:crypto";
import type { RandomSource } from "./clock.ts";

/**
 * Webhook signing secrets: `whsec_` + base64 of 32 random bytes (Standard Webhooks); the HMAC
 * key is the decoded part. At rest a secret is AES-256-GCM encrypted under a key derived from
 * `WTH_SECRET_KEY`, with the endpoint id as additional data, so a database dump alone is useless
 * and a ciphertext copied onto another endpoint's row does not decrypt.
 */
export const SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;
const ENVELOPE_VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function generateSecret(random: RandomSource): string {
  return SECRET_PREFIX + random.bytes(SECRET_BYTES).toString("base64");
}

/** The HMAC key of a `whsec_` secret. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("webhook secret must start with whsec_");
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
  if (key.length < 24) throw new Error("webhook secret key is too short");
  return key;
}

export class SecretBox {
  readonly #key: Buffer;
  readonly #random: RandomSource;

  /**
   * `masterSecret` is the operator's WTH_SECRET_KEY; it never leaves this object. `purpose`
   * derives a separate key per use, so a ciphertext of one kind never opens as another.
   */
  constructor(
    masterSecret: string | Buffer,
    random: RandomSource,
    purpose = "webhook-endpoint-secret-encryption",
  ) {
    if (masterSecret.length === 0) throw new Error("WTH_SECRET_KEY is empty");
    this.#key = Buffer.from(hkdfSync("sha256", masterSecret, "wth", purpose, 32));
    this.#random = random;
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = this.#random.bytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(boundTo, "utf8"));
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${ENVELOPE_VERSION}.${Buffer.concat([iv, ct, tag]).toString("base64")}`;
  }

  open(sealed: string, boundTo: string): string {
    const [version, data] = sealed.split(".", 2);
    if (version !== ENVELOPE_VERSION || data === undefined) {
      throw new Error("unknown encrypted secret format");
    }
    const raw = Buffer.from(data, "base64");
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error("encrypted secret is truncated");
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const ct = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", this.#key, iv);
    decipher.setAAD(Buffer.from(boundTo, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString("utf8");
  }

  /** Keeps the key out of `console.log(box)` and JSON dumps. */
  toJSON(): string {
    return "[SecretBox]";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[SecretBox]";
  }
}
