/**
 * Golden reports for realistic pairs: the released 2026-05-07 document (its frozen snapshot)
 * against edited copies. The text and JSON a maintainer sees are compared byte for byte;
 * regenerate deliberately with WTH_UPDATE_GOLDEN=1 and review the diff. (JSON goldens end in
 * `.golden` so that the formatter leaves them byte for byte as `wth diff --format json` prints.)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffDocuments } from "../../scripts/diff/compare-document.ts";
import { summarise } from "../../scripts/diff/diff.ts";
import { fsReader, loadDocument, mapReader } from "../../scripts/diff/load.ts";
import { renderJson, renderMarkdown, renderText } from "../../scripts/diff/render.ts";
import { type Edit, editedRelease, releasedFiles, removeTempDirs, repoRoot } from "./helpers.ts";

afterAll(removeTempDirs);

const pairs: { name: string; edits: Edit[]; breaking: boolean }[] = [
  {
    name: "create-listing-tightened",
    breaking: true,
    edits: [
      {
        file: "components/schemas/CreateListingRequest.yaml",
        from: "    maxLength: 100\n    description: The watch's manufacturer.",
        to: "    maxLength: 50\n    description: The watch's manufacturer.",
      },
      {
        file: "components/schemas/CreateListingRequest.yaml",
        from: "required: [brand, model, reference_number, condition, price, currency]",
        to: "required: [brand, model, reference_number, condition, price, currency, year]",
      },
      {
        file: "components/schemas/CreateListingRequest.yaml",
        from: "  papers:\n    type: boolean\n    default: false",
        to: "  papers:\n    type: boolean\n    default: true",
      },
    ],
  },
  {
    name: "additive-only",
    breaking: false,
    edits: [
      {
        file: "components/schemas/CreateCustomerRequest.yaml",
        from: "  metadata:\n    $ref: Metadata.yaml",
        to: "  metadata:\n    $ref: Metadata.yaml\n  locale:\n    type: string\n    maxLength: 35\n    description: The customer's preferred language, as a BCP 47 tag.",
      },
      {
        file: "components/schemas/ErrorCode.yaml",
        from: "  - webhook_url_not_allowed\n",
        to: "  - webhook_url_not_allowed\n  - customer_has_orders\n",
      },
      {
        file: "components/schemas/Customer.yaml",
        from: "description: A buyer. Orders are placed on behalf of a customer.",
        to: "description: A buyer; orders are placed on a customer's behalf.",
      },
    ],
  },
  {
    name: "renames-and-removals",
    breaking: true,
    edits: [
      {
        file: "components/schemas/Customer.yaml",
        from: '  phone:\n    type: [string, "null"]\n    maxLength: 32\n    description: The customer\'s phone number, or null.',
        to: '  phone_number:\n    type: [string, "null"]\n    maxLength: 32\n    description: The customer\'s phone number, or null.',
      },
      {
        file: "components/schemas/Customer.yaml",
        from: "required: [id, object, email, name, phone, shipping_address",
        to: "required: [id, object, email, name, phone_number, shipping_address",
      },
      { file: "components/schemas/ErrorCode.yaml", from: "  - listing_sold\n", to: "" },
    ],
  },
  {
    name: "webhook-contract",
    breaking: true,
    edits: [
      { file: "openapi.yaml", from: "  algorithm: HMAC-SHA256", to: "  algorithm: HMAC-SHA512" },
      {
        file: "components/parameters.yaml",
        from: "    pattern: '^\\d+$'\n    x-meaning: unix-time-in-seconds",
        to: "    format: date-time\n    x-meaning: rfc-3339-time",
      },
      {
        file: "components/schemas/ListingStatus.yaml",
        from: "  sold: reserved-by-an-order",
        to: "  sold: payment-captured",
      },
    ],
  },
  {
    name: "refactor-only",
    breaking: false,
    edits: [
      {
        file: "components/schemas/CreateListingRequest.yaml",
        from: "  currency:\n    $ref: Currency.yaml",
        to: "  currency:\n    type: string\n    pattern: '^[A-Z]{3}$'\n    x-meaning: iso-4217-currency-code",
      },
    ],
  },
];

const base = await loadDocument({
  label: "2026-05-07",
  reader: mapReader("", releasedFiles()),
  entry: "openapi.yaml",
});

function check(file: string, actual: string): void {
  const golden = path.join(repoRoot, "test/diff/golden", file);
  if (process.env.WTH_UPDATE_GOLDEN === "1") writeFileSync(golden, actual);
  if (!existsSync(golden))
    throw new Error(`missing golden ${file}: run with WTH_UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(golden, "utf8"));
}

describe("golden reports on the released document", () => {
  it.each(pairs)(
    "when the release is edited as in $name, then the reports match their goldens",
    async ({ name, edits, breaking }) => {
      const entry = editedRelease(edits);
      const revision = await loadDocument({ label: name, reader: fsReader(), entry });
      const result = summarise("2026-05-07", name, diffDocuments(base, revision));
      expect(result.breaking > 0).toBe(breaking);
      check(`${name}.txt`, renderText(result));
      check(`${name}.json.golden`, renderJson(result));
      check(`${name}.md`, renderMarkdown(result));
    },
  );
});
