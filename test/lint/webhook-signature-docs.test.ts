import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const DOCUMENT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../openapi/2026-05-07",
);

interface SignatureScheme {
  header: string;
  id_header: string;
  timestamp_header: string;
  algorithm: string;
  encoding: string;
  format: string;
  signed_payload: string;
  secret_format: string;
  timestamp_tolerance_seconds: number;
}

interface WorkedExample {
  secret: string;
  id: string;
  timestamp: string;
  body: string;
  signature: string;
}

let scheme: SignatureScheme;
let example: WorkedExample;
let parameters: Record<string, { example?: string; schema?: { pattern?: string } }>;

/** Pulls the worked example out of the "Verifying webhooks" prose, which readers copy from. */
function workedExample(description: string): WorkedExample {
  const section = description.slice(description.indexOf("A worked example"));
  const grab = (pattern: RegExp): string => {
    const match = pattern.exec(section);
    if (match?.[1] === undefined) throw new Error(`worked example lacks ${pattern}`);
    return match[1];
  };
  return {
    secret: grab(/`(whsec_[A-Za-z0-9+/=]+)`/),
    id: grab(/`webhook-id: (evt_[0-9A-Za-z]+)`/),
    timestamp: grab(/`webhook-timestamp: (\d+)`/),
    // The body sits on its own line; JSON never contains a backtick.
    body: grab(/raw\s+body `([^`]+)`/),
    signature: grab(/`webhook-signature: (v1,[^`]+)`/),
  };
}

/** Signs exactly as the machine-readable `x-webhook-signature` object says, nothing more. */
function signPerScheme(s: SignatureScheme, e: WorkedExample): string {
  expect(s.algorithm).toBe("HMAC-SHA256");
  expect(s.encoding).toBe("base64");
  const prefix = s.secret_format.slice(0, s.secret_format.indexOf("<"));
  const key = Buffer.from(e.secret.slice(prefix.length), "base64");
  const payload = s.signed_payload
    .replace(`{${s.id_header}}`, e.id)
    .replace(`{${s.timestamp_header}}`, e.timestamp)
    .replace("{raw body}", e.body);
  const signature = createHmac("sha256", key).update(payload).digest("base64");
  return s.format.slice(0, s.format.indexOf("<")) + signature;
}

beforeAll(async () => {
  const root = parse(await readFile(path.join(DOCUMENT_DIR, "openapi.yaml"), "utf8")) as {
    info: { description: string };
    "x-webhook-signature": SignatureScheme;
  };
  scheme = root["x-webhook-signature"];
  example = workedExample(root.info.description);
  parameters = parse(await readFile(path.join(DOCUMENT_DIR, "components/parameters.yaml"), "utf8"));
});

describe("the webhook signing documentation", () => {
  it("when the worked example is signed with a Standard Webhooks library, then it gets the documented signature", () => {
    const signed = new Webhook(example.secret).sign(
      example.id,
      new Date(Number(example.timestamp) * 1000),
      example.body,
    );

    expect(signed).toBe(example.signature);
  });

  it("when the worked example is signed following x-webhook-signature alone, then it gets the same signature", () => {
    expect(signPerScheme(scheme, example)).toBe(example.signature);
  });

  it("when the header parameters show examples, then they are the worked example's values and match their patterns", () => {
    const cases: [string, string][] = [
      ["WebhookId", example.id],
      ["WebhookTimestamp", example.timestamp],
      ["WebhookSignature", example.signature],
    ];
    for (const [name, value] of cases) {
      const parameter = parameters[name];
      expect(parameter?.example, name).toBe(value);
      expect(new RegExp(parameter?.schema?.pattern ?? "^$").test(value), name).toBe(true);
    }
  });
});
