import { lookup as dnsLookup } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { AddressNotAllowedError } from "./attempt-error.ts";

/**
 * Endpoint URL rules: absolute http(s), https only in live mode, no credentials in the URL, and
 * no target that resolves to anything but a public unicast address (see `refusalReason`)
 * unless the operator allows them (WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1). The same address rule is
 * applied again at connect time by `guardedLookup`, because a DNS answer can change after the
 * endpoint was created.
 */
export type UrlRefusalCode = "webhook_url_invalid" | "webhook_url_not_allowed";

export class WebhookUrlRefused extends Error {
  constructor(
    readonly code: UrlRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "WebhookUrlRefused";
  }
}

/**
 * Why `address` may not be a webhook target, or undefined when it may. Only addresses that
 * ipaddr.js classifies as `unicast` (globally routable) pass: that rules out loopback, private,
 * link-local, carrier-grade NAT, multicast, broadcast, the documentation and benchmarking ranges,
 * and every IPv6 form that embeds or tunnels to an IPv4 address (IPv4-mapped, IPv4-translated,
 * NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4, Teredo) or is reserved (100::/64 discard,
 * 2001:db8::/32). IPv4-compatible addresses (::/96, deprecated by RFC 4291, e.g. ::7f00:1 for
 * 127.0.0.1) are not one of ipaddr.js's ranges, so they are refused here by prefix.
 */
export function refusalReason(address: string): string | undefined {
  if (!ipaddr.isValid(address) || isIP(address) === 0) return "not an IP address";
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.match(ipv4Compatible)) return "ipv4Compatible";
  }
  const range = parsed.range();
  return range === "unicast" ? undefined : range;
}

const ipv4Compatible = ipaddr.parseCIDR("::/96") as [ipaddr.IPv6, number];

/** True when `address` (an IP literal) is not a public unicast address. */
export function isRefusedAddress(address: string): boolean {
  return refusalReason(address) !== undefined;
}

export type Resolver = (hostname: string) => Promise<string[]>;

/** getaddrinfo, like the connection itself will use; bounded so a dead resolver cannot hang a request. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("DNS lookup timed out")), 3_000);
    dnsLookup(hostname, { all: true }, (err, addresses) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(addresses.map((a) => a.address));
    });
  });

export interface UrlCheckOptions {
  mode: "test" | "live";
  allowPrivate: boolean;
  resolve?: Resolver;
}

export const MAX_URL_LENGTH = 2048;

/** Returns the normalised URL or throws `WebhookUrlRefused` with the documented code. */
export async function checkEndpointUrl(raw: string, options: UrlCheckOptions): Promise<string> {
  if (raw.length > MAX_URL_LENGTH) {
    throw new WebhookUrlRefused(
      "webhook_url_invalid",
      `url must be at most ${MAX_URL_LENGTH} characters`,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused("webhook_url_invalid", "url must be an absolute http or https URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new WebhookUrlRefused("webhook_url_invalid", "url must use https (or http in test mode)");
  }
  if (url.protocol === "http:" && options.mode === "live") {
    throw new WebhookUrlRefused(
      "webhook_url_invalid",
      "live-mode webhook endpoints must use https",
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new WebhookUrlRefused("webhook_url_invalid", "url must not contain credentials");
  }
  if (url.hash !== "") {
    throw new WebhookUrlRefused("webhook_url_invalid", "url must not contain a fragment");
  }
  if (options.allowPrivate) return url.href;

  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      // An unresolvable name is not known to be private; the connect-time guard still applies.
      return url.href;
    }
  }
  const bad = addresses.find(isRefusedAddress);
  if (bad !== undefined) {
    throw new WebhookUrlRefused(
      "webhook_url_not_allowed",
      `url resolves to ${bad} (${refusalReason(bad)}), not a public unicast address; webhook endpoints must be publicly reachable (for local development, the operator can set WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1)`,
    );
  }
  return url.href;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | { address: string; family: number }[],
  family?: number,
) => void;

/**
 * A `net.connect` lookup that refuses non-public addresses (DNS rebinding guard). Used by the
 * sender unless private targets are allowed.
 */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { ...options, all: true } as { all: true }, (err, addresses) => {
    if (err) {
      callback(err, []);
      return;
    }
    const bad = addresses.find((a) => isRefusedAddress(a.address));
    if (bad !== undefined) {
      callback(new AddressNotAllowedError(bad.address), []);
      return;
    }
    if (options.all) callback(null, addresses);
    else {
      const first = addresses[0];
      if (first === undefined)
        callback(Object.assign(new Error("no address"), { code: "ENOTFOUND" }), []);
      else callback(null, first.address, first.family);
    }
  });
}
