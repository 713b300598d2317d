import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateSecret, SecretBox, secretKey } from "../../server/webhooks/secret.ts";
import { signedHeaders } from "../../server/webhooks/signature.ts";
import { seededRandom } from "./clock.ts";

const random = seededRandom(7);

describe("signing per Standard Webhooks", () => {
  it("when a body is signed with one secret, then the standardwebhooks library verifies it", () => {
    const secret = generateSecret(random);
    const body = Buffer.from(
      JSON.stringify({ id: "evt_1", object: "event", type: "listing.created" }),
    );
    const ts = Math.floor(Date.now() / 1000);
    const headers = signedHeaders([secretKey(secret)], "evt_1", ts, body);

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
    expect(new Webhook(secret).verify(body.toString("utf8"), { ...headers })).toEqual(
      JSON.parse(body.toString("utf8")),
    );
  });

  it("when two secrets are active (rotation), then a receiver holding either one verifies", () => {
    const oldSecret = generateSecret(random);
    const newSecret = generateSecret(random);
    const body = Buffer.from('{"id":"evt_2"}');
    const ts = Math.floor(Date.now() / 1000);
    const headers = signedHeaders([secretKey(newSecret), secretKey(oldSecret)], "evt_2", ts, body);

    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(generateSecret(random)).verify(body, { ...headers })).toThrow();
  });

  it("when one byte of the body changes, then verification fails", () => {
    const secret = generateSecret(random);
    const ts = Math.floor(Date.now() / 1000);
    const headers = signedHeaders([secretKey(secret)], "evt_3", ts, Buffer.from('{"a":1}'));
    expect(() => new Webhook(secret).verify('{"a":2}', { ...headers })).toThrow();
  });

  it("when our signature is compared with the library's own signer, then they are identical", () => {
    const secret = generateSecret(random);
    const ts = 1_780_000_000;
    const body = '{"x":"ü"}';
    const ours = signedHeaders([secretKey(secret)], "evt_4", ts, Buffer.from(body))[
      "webhook-signature"
    ];
    expect(ours).toBe(new Webhook(secret).sign("evt_4", new Date(ts * 1000), body));
  });
});

describe("secrets at rest", () => {
  const master = "a-32-character-operator-secret-key!!";

  it("when a secret is sealed, then the stored text does not contain it and opens back to it", () => {
    const box = new SecretBox(master, random);
    const secret = generateSecret(random);
    const sealed = box.seal(secret, "we_1");
    expect(sealed).not.toContain(secret.slice(6));
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(box.open(sealed, "we_1")).toBe(secret);
  });

  it.each([
    ["another endpoint's id", "we_2", master],
    ["another master key", "we_1", "another-operator-secret-key-of-32-chars"],
  ])("when opened with %s, then it refuses", (_label, boundTo, otherMaster) => {
    const sealed = new SecretBox(master, random).seal(generateSecret(random), "we_1");
    expect(() => new SecretBox(otherMaster, random).open(sealed, boundTo)).toThrow();
  });

  it("when the box is logged or serialised, then the key does not appear", () => {
    const box = new SecretBox(master, random);
    expect(JSON.stringify({ box })).toBe('{"box":"[SecretBox]"}');
  });
});
