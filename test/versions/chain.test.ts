import { describe, expect, it } from "vitest";
import { assertChain, chainProblems, VersionChainError } from "../../server/versions/chain.ts";
import type { VersionBundle, VersionChange } from "../../server/versions/change.ts";

const docOld = {
  paths: { "/v1/orders": { post: { operationId: "createOrder" } } },
  components: { schemas: { Order: {} } },
};
const docNew = {
  paths: { "/v1/orders": { post: { operationId: "createOrder" } } },
  components: { schemas: { Order: {}, Listing: {} } },
};
const versions = [
  { version: "2026-05-07", document: docOld },
  { version: "2026-09-01", document: docNew },
  { version: "2026-12-01", document: docNew },
];

function change(over: Partial<VersionChange> = {}): VersionChange {
  return {
    id: "order-amount-renamed",
    description: "Order amount is renamed.",
    migration: "Read total_amount.",
    answers: ["response-property-renamed:Order.amount"],
    response: { Order: (o) => o },
    ...over,
  };
}

const shared = change();
const cases: Array<{ when: string; bundle: VersionBundle; want: RegExp }> = [
  {
    when: "dates are out of order",
    bundle: [
      { version: "2026-12-01", changes: [change({ id: "a" })] },
      { version: "2026-09-01", changes: [change({ id: "b" })] },
    ],
    want: /2026-09-01 comes after 2026-12-01 in the bundle/,
  },
  {
    when: "a date is not a registered version",
    bundle: [{ version: "2026-10-10", changes: [change()] }],
    want: /2026-10-10 has version changes but is not a version in openapi\/versions.json/,
  },
  {
    when: "the first version has changes",
    bundle: [{ version: "2026-05-07", changes: [change()] }],
    want: /2026-05-07 is the first version/,
  },
  {
    when: "one change is attached to two versions",
    bundle: [
      { version: "2026-09-01", changes: [shared] },
      { version: "2026-12-01", changes: [shared] },
    ],
    want: /version change "order-amount-renamed" \(2026-12-01\) is attached to 2026-09-01 too/,
  },
  {
    when: "a request converter names an operation the older version lacks",
    bundle: [{ version: "2026-09-01", changes: [change({ request: { createListng: (b) => b } })] }],
    want: /"order-amount-renamed" \(2026-09-01\): its request converter names operation "createListng", which 2026-05-07 does not have/,
  },
  {
    when: "a response converter names a schema the version lacks",
    bundle: [{ version: "2026-09-01", changes: [change({ response: { Ordr: (o) => o } })] }],
    want: /its response converter names schema "Ordr", which 2026-09-01 does not have/,
  },
  {
    when: "an error converter names an unknown operation",
    bundle: [{ version: "2026-09-01", changes: [change({ error: { nope: (e) => e } })] }],
    want: /its error converter names operation "nope"/,
  },
  {
    when: "a change answers no finding",
    bundle: [{ version: "2026-09-01", changes: [change({ answers: [] })] }],
    want: /declares nothing and answers no diff finding/,
  },
  {
    when: "a change id is not a file-name id",
    bundle: [{ version: "2026-09-01", changes: [change({ id: "Order Amount" })] }],
    want: /"Order Amount".*lower-case words joined by "-"/,
  },
  {
    when: "a version's bundled document is missing",
    bundle: [{ version: "2026-09-01", changes: [change()] }],
    want: /no bundled document for 2026-09-01 .* run "wth generate"/,
  },
];

describe("the version-change chain check", () => {
  it.each(cases)("when $when, then it names the culprit", ({ bundle, want, when }) => {
    const input =
      when === "a version's bundled document is missing"
        ? versions.map((v) => (v.version === "2026-09-01" ? { ...v, document: undefined } : v))
        : versions;
    const problems = chainProblems(bundle, input);
    expect(problems.join("\n")).toMatch(want);
    expect(() => assertChain(bundle, input)).toThrow(VersionChainError);
  });

  it("when the bundle is empty or sound, then there is no problem", () => {
    expect(chainProblems([], versions)).toEqual([]);
    const removal = change({
      id: "listing-archive-removed",
      answers: ["operation-removed:POST /v1/listings/{listing_id}/archive"],
      response: undefined,
    });
    expect(
      chainProblems(
        [
          { version: "2026-09-01", changes: [change({ request: { createOrder: (b) => b } })] },
          { version: "2026-12-01", changes: [removal] },
        ],
        versions,
      ),
    ).toEqual([]);
  });
});
