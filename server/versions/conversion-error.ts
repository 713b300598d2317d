/**
 * A conversion that did not complete: a converter threw, a declaration could not expand, or a
 * document the conversion reads is missing. It names what an operator needs to find the culprit
 * (the pinned version, the schema rendered, the JSON pointer inside the value, the version change)
 * and never the value itself, which may hold a customer's data or a secret shown once.
 */

/** Thrown inside a compiled plan; the plan's callers add the path as it unwinds. */
export class StepFailure extends Error {
  /** Pointer segments from the rendered value's root, filled in as the failure unwinds. */
  readonly path: string[] = [];
  constructor(
    readonly schema: string | undefined,
    readonly change: string | undefined,
    override readonly cause: unknown,
  ) {
    super("a converter failed");
  }
}

/** `cause` thrown at `segment` of its parent: the failure, its path one segment longer. */
export function failedWithin(cause: unknown, segment: string): StepFailure {
  const failure =
    cause instanceof StepFailure ? cause : new StepFailure(undefined, undefined, cause);
  failure.path.unshift(segment);
  return failure;
}

const escapeSegment = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** Strips what must never reach a log: secrets and API keys a converter message might quote. */
function scrub(text: string): string {
  return text
    .replace(/whsec_[A-Za-z0-9+/=_-]+/g, "whsec_[redacted]")
    .replace(/wth_(test|live)_[A-Za-z0-9_-]+/g, "wth_$1_[redacted]")
    .slice(0, 300);
}

export class ConversionError extends Error {
  override name = "ConversionError";
  constructor(
    /** The version the value was being rendered in (or upgraded from). */
    readonly version: string,
    /** The schema (or operationId, for a request) being converted at the top. */
    readonly schema: string,
    /** The schema whose converter failed, when one did (it may sit deep inside `schema`). */
    readonly failedSchema: string | undefined,
    /** JSON pointer, inside the value, of what failed ("" for the value itself). */
    readonly pointer: string,
    /** The version change (`id (date)`) whose converter failed, when one did. */
    readonly change: string | undefined,
    /** Why, secrets scrubbed: the converter's own message or the setup problem. */
    readonly reason: string,
  ) {
    super(
      `rendering ${schema} for ${version} failed at "${pointer}"${change === undefined ? "" : ` in version change ${change}`}: ${reason}`,
    );
  }

  /** The fields a structured log line carries (never the value converted). */
  logFields(): Record<string, string | undefined> {
    return {
      api_version: this.version,
      schema: this.schema,
      failed_schema: this.failedSchema,
      pointer: this.pointer,
      version_change: this.change,
      reason: this.reason,
    };
  }
}

/** Any failure thrown while converting `schema` for `version`, as a ConversionError. */
export function conversionErrorOf(err: unknown, version: string, schema: string): ConversionError {
  if (err instanceof ConversionError) return err;
  const failure = err instanceof StepFailure ? err : undefined;
  const cause = failure === undefined ? err : failure.cause;
  const reason =
    cause instanceof Error ? `${cause.name}: ${cause.message}` : `threw ${String(cause)}`;
  const pointer = (failure?.path ?? []).map((s) => `/${escapeSegment(s)}`).join("");
  return new ConversionError(
    version,
    schema,
    failure?.schema,
    pointer,
    failure?.change,
    scrub(reason),
  );
}
