import { describe, expect, it } from "vitest";
import { WebhookSender } from "../../server/webhooks/sender.ts";
import {
  checkEndpointUrl,
  isRefusedAddress,
  type Resolver,
} from "../../server/webhooks/url-safety.ts";

const publicResolver: Resolver = async () => ["93.184.216.34"];

describe("endpoint URL rules", () => {
  it.each([
    ["not a URL", "hooks", "test", "webhook_url_invalid"],
    ["ftp", "ftp://example.com/x", "test", "webhook_url_invalid"],
    ["http in live mode", "http://example.com/x", "live", "webhook_url_invalid"],
    ["credentials", "https://u:p@example.com/x", "test", "webhook_url_invalid"],
    ["a fragment", "https://example.com/x#frag", "test", "webhook_url_invalid"],
    ["loopback v4", "https://127.0.0.1/x", "test", "webhook_url_not_allowed"],
    ["loopback v6", "https://[::1]/x", "test", "webhook_url_not_allowed"],
    ["private 10/8", "https://10.1.2.3/x", "live", "webhook_url_not_allowed"],
    ["private 192.168/16", "https://192.168.0.10/x", "live", "webhook_url_not_allowed"],
    ["link-local metadata", "https://169.254.169.254/latest", "live", "webhook_url_not_allowed"],
    ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/x", "live", "webhook_url_not_allowed"],
    ["unique local v6", "https://[fd00::1]/x", "live", "webhook_url_not_allowed"],
    ["localhost by name", "https://localhost:8443/x", "test", "webhook_url_not_allowed"],
  ])("when the URL has %s, then it is refused with %s", async (_label, url, mode, code) => {
    await expect(
      checkEndpointUrl(url, { mode: mode as "test" | "live", allowPrivate: false }),
    ).rejects.toMatchObject({ code });
  });

  it("when a name resolves to a private address, then it is refused", async () => {
    const rebinding: Resolver = async () => ["93.184.216.34", "10.0.0.5"];
    await expect(
      checkEndpointUrl("https://hooks.example.com/x", {
        mode: "live",
        allowPrivate: false,
        resolve: rebinding,
      }),
    ).rejects.toMatchObject({ code: "webhook_url_not_allowed", message: /10\.0\.0\.5/ });
  });

  it.each([
    ["https, public, live", "https://hooks.example.com/wh?x=1", "live"],
    ["http, public, test", "http://hooks.example.com/wh", "test"],
  ])("when the URL is %s, then it is accepted", async (_label, url, mode) => {
    await expect(
      checkEndpointUrl(url, {
        mode: mode as "test" | "live",
        allowPrivate: false,
        resolve: publicResolver,
      }),
    ).resolves.toBe(url);
  });

  it("when the operator allows private URLs, then loopback is accepted (but https in live still holds)", async () => {
    await expect(
      checkEndpointUrl("http://127.0.0.1:9/x", { mode: "test", allowPrivate: true }),
    ).resolves.toBe("http://127.0.0.1:9/x");
    await expect(
      checkEndpointUrl("http://127.0.0.1:9/x", { mode: "live", allowPrivate: true }),
    ).rejects.toMatchObject({ code: "webhook_url_invalid" });
  });

  it.each([
    ["8.8.8.8", false],
    ["2606:4700::1111", false],
    ["172.16.0.1", true],
    ["172.32.0.1", false],
    ["100.64.1.1", true],
    ["0.0.0.0", true],
    ["fe80::1", true],
    ["not-an-ip", true],
  ])("when the address is %s, then refused is %s", (address, refused) => {
    expect(isRefusedAddress(address)).toBe(refused);
  });

  // Ranges a hand-written block list missed: each embeds, tunnels to or documents an address
  // that is not a public unicast destination.
  const missedRanges: Array<[string, string]> = [
    ["IPv4-compatible loopback", "::7f00:1"],
    ["IPv4-mapped (::ffff:0:0/96)", "::ffff:0:0"],
    ["IPv4-mapped public", "::ffff:8.8.8.8"],
    ["IPv4-translated (::ffff:0:0:0/96)", "::ffff:0:7f00:1"],
    ["NAT64 well-known prefix", "64:ff9b::a00:1"],
    ["NAT64 local-use 64:ff9b:1::/48", "64:ff9b:1::a00:1"],
    ["6to4 2002::/16", "2002:7f00:1::1"],
    ["Teredo 2001::/32", "2001::1"],
    ["discard-only 100::/64", "100::1"],
    ["IPv6 documentation 2001:db8::/32", "2001:db8::1"],
    ["TEST-NET-1 192.0.2.0/24", "192.0.2.2"],
    ["TEST-NET-2 198.51.100.0/24", "198.51.100.7"],
    ["TEST-NET-3 203.0.113.0/24", "203.0.113.9"],
    ["benchmarking 198.18.0.0/15", "198.19.0.1"],
    ["broadcast", "255.255.255.255"],
  ];

  it.each(missedRanges)(
    "when an endpoint URL names %s (%s), then creation refuses it with webhook_url_not_allowed",
    async (_label, address) => {
      const host = address.includes(":") ? `[${address}]` : address;
      await expect(
        checkEndpointUrl(`https://${host}/x`, { mode: "live", allowPrivate: false }),
      ).rejects.toMatchObject({ code: "webhook_url_not_allowed" });
    },
  );

  it.each(missedRanges)(
    "when a name resolves to %s (%s), then creation refuses it",
    async (_label, address) => {
      await expect(
        checkEndpointUrl("https://hooks.example.com/x", {
          mode: "live",
          allowPrivate: false,
          resolve: async () => [address],
        }),
      ).rejects.toMatchObject({ code: "webhook_url_not_allowed" });
    },
  );

  it("when a delivery targets one of those addresses, then the sender refuses to connect", async () => {
    const sender = new WebhookSender({ timeoutMs: 2_000 });
    try {
      for (const [label, address] of missedRanges) {
        const host = address.includes(":") ? `[${address}]` : address;
        const outcome = await sender.send({
          url: `http://${host}:9/x`,
          headers: {},
          body: Buffer.from("{}"),
        });
        expect(outcome.ok, label).toBe(false);
        expect(outcome.statusCode, label).toBeNull();
        expect(outcome.snippet ?? "", label).toMatch(/disallowed address/);
      }
    } finally {
      await sender.close();
    }
  });

  it("when a global unicast address is given, then it passes", () => {
    for (const address of ["93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"]) {
      expect(isRefusedAddress(address), address).toBe(false);
    }
  });
});
