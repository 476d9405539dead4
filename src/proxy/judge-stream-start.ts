/**
 * A provider may accept a streamed call (HTTP 200) and then send an error before any content:
 * Anthropic does so when overloaded (`event: error` with `overloaded_error`, which is a 529 in a
 * non-streamed answer), as its first event or right after `message_start`. The proxy holds a
 * stream's opening events (nothing a client can show) until the first other one, so nothing has
 * reached the client when an error comes there: it can treat it like the failure status it stands
 * for and retry, where an SDK cannot (its retries end once a 200 arrived). Pure: it reads the start
 * of the body, as text, and says whether the stream starts well, starts with a failure, or cannot
 * be judged yet.
 */
import { isSpendLimit, type FailedAttempt } from './upstream-retry.js';

export type StreamStartVerdict =
  { kind: 'undecided' } | { kind: 'clean' } | { kind: 'failure'; failure: FailedAttempt };

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
 * Events that open a stream before any content: Anthropic's `message_start`, `ping` and
 * `content_block_start` (a block's type, and a tool's name, but not a character of it yet), the
 * Responses API's `response.created` / `response.in_progress`. SSE comments (`: …`) too.
 */
const openingEvents: ReadonlySet<string> = new Set([
  'message_start',
  'ping',
  'content_block_start',
  'response.created',
  'response.in_progress',
]);

/**
 * Judges the first event after the opening ones: an error is a failure (unknown error types read as
 * 400, which is not retried: the stream then goes to the client as it came), anything else is a
 * clean start. Only whole events are judged: until one comes, the start is undecided.
 */
export function judgeStreamStart(start: string): StreamStartVerdict {
  // A body that is not an event stream after all (one JSON answer) is handed on as it is.
  if (!opensLikeEventStream(start)) return { kind: 'clean' };
  let rest = start;
  for (;;) {
    const separator = /\r?\n\r?\n/.exec(rest);
    if (separator === null) return { kind: 'undecided' };
    const lines = rest.slice(0, separator.index).split(/\r?\n/);
    rest = rest.slice(separator.index + separator[0].length);
    const named = lines
      .find((line) => line.startsWith('event:'))
      ?.slice(6)
      .trim();
    const data = lines
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (named === undefined && data === '') continue; // a comment, or a keep-alive
    const parsed = parseJson(data);
    const type = named ?? (typeof parsed?.type === 'string' ? parsed.type : undefined);
    if (type !== undefined && openingEvents.has(type)) continue;
    const errorType = errorTypeOfEvent(parsed);
    if (errorType === undefined && named !== 'error') return { kind: 'clean' };
    return {
      kind: 'failure',
      failure: {
        status:
          errorType !== undefined && Object.hasOwn(statusOfStreamError, errorType)
            ? statusOfStreamError[errorType]
            : 400,
        retryAfterMs: undefined,
        errorType,
      },
    };
  }
}

const sseLineStarts = ['event:', 'data:', 'id:', 'retry:', ':'];

/** True while the text begins with an SSE field or comment, or could still (`da`...). */
function opensLikeEventStream(start: string): boolean {
  const opening = start.trimStart().slice(0, 6);
  return sseLineStarts.some((field) => opening.startsWith(field) || field.startsWith(opening));
}

function parseJson(data: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Anthropic `{type: "error", error: {type}}`, OpenAI `{error: {type, code}}`, Responses
 * `{type: "error", code}` and `{type: "response.failed", response: {error: {code}}}`.
 */
function errorTypeOfEvent(parsed: Record<string, unknown> | undefined): string | undefined {
  if (parsed === undefined) return undefined;
  type Reported = { type?: unknown; code?: unknown } | null | undefined;
  const event = parsed as {
    type?: unknown;
    code?: unknown;
    error?: Reported;
    response?: { error?: Reported };
  };
  const failed = event.type === 'response.failed';
  const reported = failed ? event.response?.error : event.error;
  const error = typeof reported === 'object' && reported !== null ? reported : undefined;
  if (error === undefined && event.type !== 'error' && !failed) return undefined;
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
