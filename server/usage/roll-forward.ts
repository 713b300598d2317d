/**
 * "What changes if I roll forward to D": the findings precomputed at generate time into
 * `generated/<D>/roll-forward.json` (scripts/generate/emitters/roll-forward.ts), kept to what
 * one integration used. The server reads the file; it never runs the diff itself.
 */
import fs from "node:fs";
import path from "node:path";

export interface RollForwardFinding {
  rule: string;
  breaking: boolean;
  message: string;
  operation: string | null;
  operation_id: string | null;
  event_type: string | null;
}

interface RollForwardFile {
  version: string;
  from: Record<string, RollForwardFinding[]>;
}

export class RollForwardFiles {
  readonly #dir: string;
  readonly #cache = new Map<string, RollForwardFile>();

  constructor(generatedDir: string) {
    this.#dir = generatedDir;
  }

  /** Every finding from `pinned` to the newer version `to`, in the file's order. */
  findings(pinned: string, to: string): RollForwardFinding[] {
    let file = this.#cache.get(to);
    if (file === undefined) {
      const where = path.join(this.#dir, to, "roll-forward.json");
      if (!fs.existsSync(where)) {
        throw new Error(`${where} is missing: run \`node scripts/wth.js generate\``);
      }
      file = JSON.parse(fs.readFileSync(where, "utf8")) as RollForwardFile;
      this.#cache.set(to, file);
    }
    const findings = file.from[pinned];
    if (findings === undefined) {
      throw new Error(
        `generated/${to}/roll-forward.json has no findings from ${pinned}: regenerate`,
      );
    }
    return findings;
  }
}

/**
 * The findings on an operation or event type the integration used, plus those tied to neither
 * (a document-wide change such as the signature scheme touches everyone).
 */
export function keepUsed(
  findings: RollForwardFinding[],
  usedOperations: ReadonlySet<string>,
  usedEventTypes: ReadonlySet<string>,
): RollForwardFinding[] {
  return findings.filter((f) => {
    if (f.operation_id !== null) return usedOperations.has(f.operation_id);
    if (f.event_type !== null) return usedEventTypes.has(f.event_type);
    // An operation the newer version added has no operationId in the pinned version to match.
    return f.operation === null;
  });
}
