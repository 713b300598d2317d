import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIP } from "node:net";
import { AddressNotAllowedError } from "./attempt-error.ts";

/**
 * Endpoint URL rules: absolute http(s), https only in live mode, no credentials in the URL, and
 * no target that resolves to loopback, private, link-local (or otherwise non-public) addresses
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

const refused = new BlockList();
// IPv4 ranges that are not publicly routable destinations.
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata lives here)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  refused.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  ["64:ff9b::", 96], // NAT64 can reach IPv4 private space
] as const) {
  refused.addSubnet(net, prefix, "ipv6");
}

/** True when `address` (an IP literal) is loopback, private, link-local or otherwise not public. */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1] !== undefined) return refused.check(mapped[1], "ipv4");
    return refused.check(address, "ipv6");
  }
  return true;
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
      `url resolves to ${bad}, a loopback, private or link-local address; webhook endpoints must be publicly reachable (for local development, the operator can set WTH_ALLOW_PRIVATE_WEBHOOK_URLS=1)`,
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
