/**
 * A provider may accept a streamed call (HTTP 200) and then send an error as its first event:
 * Anthropic does so when overloaded (`event: error` with `overloaded_error`, which is a 529 in a
 * non-streamed answer). Nothing has reached the client at that point, so the proxy can treat it like
 * the failure status it stands for and retry, where an SDK cannot (its retries end once a 200
 * arrived). Pure: it reads the start of the body, as text, and says which failure it is, if any.
 */
import { isSpendLimit, type FailedAttempt } from './upstream-retry.js';

/** Error types as the providers name them in a stream, and the status each stands for. */
const statusOfStreamError: Readonly<Record<string, number>> = {
  overloaded_error: 529,
  api_error: 500,
  server_error: 500,
  internal_error: 500,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  timeout_error: 504,
};

/**
 * The failure a stream's first event reports, or undefined when the first event is not an error (or
 * is not complete in `start`: only a whole event is judged). Unknown error types read as 400, which
 * is not retried: the stream then goes to the client as it came.
 */
export function streamStartFailure(start: string): FailedAttempt | undefined {
  const end = start.search(/\r?\n\r?\n/);
  if (end < 0) return undefined;
  const lines = start.slice(0, end).split(/\r?\n/);
  const named = lines
    .find((line) => line.startsWith('event:'))
    ?.slice(6)
    .trim();
  const data = lines
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  const errorType = errorTypeOfEvent(data);
  if (errorType === undefined && named !== 'error') return undefined;
  return {
    status:
      errorType !== undefined && Object.hasOwn(statusOfStreamError, errorType)
        ? statusOfStreamError[errorType]
        : 400,
    retryAfterMs: undefined,
    errorType,
  };
}

/** Anthropic `{type: "error", error: {type}}`, OpenAI `{error: {type, code}}`, Responses `{type: "error", code}`. */
function errorTypeOfEvent(data: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const event = parsed as { type?: unknown; code?: unknown; error?: { type?: unknown; code?: unknown } };
  const error = typeof event.error === 'object' && event.error !== null ? event.error : undefined;
  if (error === undefined && event.type !== 'error') return undefined;
  const candidates = [error?.type, error?.code, event.code].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  // A spend limit wins (never retried), then a type whose status is known (OpenAI puts
  // `rate_limit_exceeded` in `code` under a vaguer `type`), then whatever it is called.
  return (
    candidates.find((value) => isSpendLimit(value)) ??
    candidates.find((value) => Object.hasOwn(statusOfStreamError, value)) ??
    candidates[0] ??
    'unknown_error'
  );
}
