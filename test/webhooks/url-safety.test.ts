import { describe, expect, it } from "vitest";
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
});
