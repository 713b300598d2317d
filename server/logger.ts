import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Structured JSON logs. Headers are never logged whole; the redact list is a second line of
 * defence should a key or secret ever reach a log call.
 */
export function createLogger(
  opts: { level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: opts.level ?? "info",
      base: { service: "wth-server" },
      redact: {
        paths: [
          "authorization",
          "*.authorization",
          "headers.authorization",
          "*.headers.authorization",
          "api_key",
          "*.api_key",
          "secret",
          "*.secret",
        ],
        censor: "[redacted]",
      },
    },
    opts.destination,
  );
}
