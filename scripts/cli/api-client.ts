/**
 * The small HTTP client `wth listen` and `wth trigger` use: the integrator's API key from
 * WTH_API_KEY, the server from WTH_BASE_URL (read by server/config.ts, loadCliSettings).
 * Failures become one-line errors naming the cause.
 */
import type { CliSettings } from "../../server/config.ts";

export class CliError extends Error {
  readonly userFacing = true;
}

export interface ApiTarget {
  baseUrl: string;
  key: string;
}

export function apiTarget(settings: CliSettings["api"]): ApiTarget {
  if (settings.key === undefined) {
    throw new CliError("set WTH_API_KEY to your API key (wth_test_…) first");
  }
  return { baseUrl: settings.baseUrl, key: settings.key };
}

export async function callApi(
  target: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(`${target.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new CliError(
      `cannot reach ${target.baseUrl} (${cause}); is the server running? (WTH_BASE_URL)`,
    );
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new CliError(`${method} ${path} answered ${res.status} with a body that is not JSON`);
  }
  if (!res.ok) {
    const error = (json.error ?? {}) as { code?: string; message?: string };
    throw new CliError(
      `${method} ${path} failed: ${res.status} ${error.code ?? "error"}: ${error.message ?? text}`,
    );
  }
  return json;
}
