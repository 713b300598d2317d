import type { Logger } from "pino";
import type { UnrenderedEvent } from "./store.ts";

/**
 * The alert for webhook bodies that could not be rendered in their pinned version: one error line
 * per event, naming the event, its dead-lettered deliveries and the conversion's culprit (version,
 * schema, pointer, version change). The body itself is never logged.
 */
export function alertUnrendered(logger: Logger, unrendered: readonly UnrenderedEvent[]): void {
  for (const u of unrendered) {
    logger.error(
      {
        alert: "version_conversion_failed",
        event_id: u.event_id,
        event_type: u.event_type,
        integration: u.integration,
        deliveries: u.deliveries,
        ...u.conversion,
      },
      "webhook version conversion failed: nothing signed or sent, deliveries dead-lettered",
    );
  }
}
