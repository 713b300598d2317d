import type { RequestHandler } from "express";
import type { MatchedOperation } from "../http/validation.ts";
import type { Integration } from "../integrations.ts";
import type { UsageRecorder } from "./recorder.ts";

/**
 * Counts each authenticated request whose operation was matched, when its response is done:
 * failed calls count too, since they show what an integration relies on.
 */
export function countUsage(recorder: UsageRecorder): RequestHandler {
  return (_req, res, next) => {
    res.once("finish", () => {
      const operation = res.locals.operation as MatchedOperation | undefined;
      const integration = res.locals.integration as Integration | undefined;
      if (operation?.operationId === undefined || integration === undefined) return;
      recorder.record(
        integration.id,
        res.locals.apiKeyId as string | undefined,
        operation.operationId,
      );
    });
    next();
  };
}
