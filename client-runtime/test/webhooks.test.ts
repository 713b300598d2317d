import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  createTestWebhookHeaders,
  verifyWebhookSignature,
  WebhookVerificationError,
} from "../src/webhooks.ts";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const otherSecret = `whsec_${randomBytes(32).toString("base64")}`;
const body = JSON.stringify({
  id: "evt_1",
  object: "event",
  type: "widget.created",
  data: { object: { id: "wid_1", name: "Ünïcode ✓" } },
});
const now = Date.parse("2026-05-07T12:00:00Z");
const nowSeconds = now / 1000;

function failure(run: () => unknown): WebhookVerificationError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error("expected a WebhookVerificationError");
}

describe("agreement with the standardwebhooks package", () => {
  it("when standardwebhooks signs a message, then verifyWebhook accepts it and returns the parsed body", () => {
    const signature = new Webhook(secret).sign("evt_1", new Date(now), body);
    const headers = {
      "webhook-id": "evt_1",
      "webhook-timestamp": String(nowSeconds),
      "webhook-signature": signature,
    };
    expect(verifyWebhookSignature(body, headers, secret, { now })).toEqual(JSON.parse(body));
  });

  it("when createTestWebhookHeaders signs a message, then standardwebhooks verifies it", () => {
    const headers = createTestWebhookHeaders(body, secret, { id: "evt_2" });
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it("when standardwebhooks verifies with another secret, then it rejects our signature too", () => {
    const headers = createTestWebhookHeaders(body, secret);
    expect(() => new Webhook(otherSecret).verify(body, { ...headers })).toThrow();
  });
});

describe("verifyWebhook", () => {
  const headers = createTestWebhookHeaders(body, secret, { id: "evt_1", timestamp: nowSeconds });

  it("when the body is a Buffer or the headers a Headers object, then it verifies the same", () => {
    const event = verifyWebhookSignature(Buffer.from(body), new Headers(headers), secret, { now });
    expect(event).toEqual(JSON.parse(body));
  });

  it("when the header carries two signatures (rotation), then the one that matches is enough", () => {
    const old = createTestWebhookHeaders(body, otherSecret, { id: "evt_1", timestamp: nowSeconds });
    const both = {
      ...headers,
      "webhook-signature": `${old["webhook-signature"]} ${headers["webhook-signature"]}`,
    };
    expect(verifyWebhookSignature(body, both, secret, { now })).toEqual(JSON.parse(body));
  });

  it("when the receiver holds old and new secrets, then a message signed with either verifies", () => {
    expect(verifyWebhookSignature(body, headers, [otherSecret, secret], { now })).toEqual(
      JSON.parse(body),
    );
  });

  it("when headers are given with other casing, then they are still found", () => {
    const upper = {
      "Webhook-Id": headers["webhook-id"],
      "Webhook-Timestamp": headers["webhook-timestamp"],
      "Webhook-Signature": headers["webhook-signature"],
    };
    expect(verifyWebhookSignature(body, upper, secret, { now })).toEqual(JSON.parse(body));
  });

  const cases: [string, () => unknown, string, RegExp][] = [
    [
      "the body was parsed by a JSON middleware",
      () => verifyWebhookSignature(JSON.parse(body) as string, headers, secret, { now }),
      "raw_body_required",
      /raw request body .* express\.raw/,
    ],
    [
      "the body was re-formatted",
      () =>
        verifyWebhookSignature(JSON.stringify(JSON.parse(body), null, 2), headers, secret, { now }),
      "body_modified",
      /re-formatted JSON/,
    ],
    [
      "the secret is another endpoint's",
      () => verifyWebhookSignature(body, headers, otherSecret, { now }),
      "signature_mismatch",
      /the wrong secret/,
    ],
    [
      "the body was changed",
      () => verifyWebhookSignature(body.replace("wid_1", "wid_2"), headers, secret, { now }),
      "signature_mismatch",
      /No signature/,
    ],
    [
      "the secret is not a whsec_ secret",
      () => verifyWebhookSignature(body, headers, "not a secret!", { now }),
      "invalid_secret",
      /whsec_/,
    ],
    [
      "the message is six minutes old",
      () => verifyWebhookSignature(body, headers, secret, { now: now + 360_000 }),
      "timestamp_too_old",
      /signed 360 s ago, beyond the 300 s tolerance/,
    ],
    [
      "the message is from six minutes in the future",
      () => verifyWebhookSignature(body, headers, secret, { now: now - 360_000 }),
      "timestamp_in_future",
      /360 s in the future/,
    ],
    [
      "the signature header is missing",
      () =>
        verifyWebhookSignature(body, { ...headers, "webhook-signature": undefined }, secret, {
          now,
        }),
      "missing_header",
      /no `webhook-signature` header/,
    ],
    [
      "the timestamp is not a number",
      () =>
        verifyWebhookSignature(body, { ...headers, "webhook-timestamp": "soon" }, secret, { now }),
      "invalid_timestamp",
      /Unix time/,
    ],
  ];
  it.each(cases)(
    "when %s, then it fails with the reason that names it",
    (_, run, reason, message) => {
      const error = failure(run);
      expect(error.reason).toBe(reason);
      expect(error.message).toMatch(message);
    },
  );

  it("when the message is 299 s old, then it is still inside the tolerance", () => {
    expect(verifyWebhookSignature(body, headers, secret, { now: now + 299_000 })).toEqual(
      JSON.parse(body),
    );
  });

  it("when a signature has the right length but wrong bytes, then it is rejected", () => {
    const forged = `v1,${Buffer.alloc(32, 1).toString("base64")}`;
    const error = failure(() =>
      verifyWebhookSignature(body, { ...headers, "webhook-signature": forged }, secret, { now }),
    );
    expect(error.reason).toBe("signature_mismatch");
  });
});
