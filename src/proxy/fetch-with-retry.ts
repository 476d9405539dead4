/**
 * The upstream retry loop. It sends one request, and while the provider answers with a retryable
 * failure before any response body was handed on, waits (backoff with jitter, or the provider's
 * `retry-after`) and sends it again. Whatever it returns, the caller has not written anything to its
 * own client yet: that is what makes retrying safe.
 */
import { LoomError } from '../errors/index.js';
import { parseRetryAfterMs } from '../llm/index.js';
import { Cancellation, type CancelSignal } from './cancellation.js';
import { readStreamStart } from './read-stream-start.js';
import { judgeStreamStart, type StreamStartVerdict } from './judge-stream-start.js';
import { readBodyText, type UpstreamResponse } from './upstream-fetch.js';
import {
  decideUpstreamRetry,
  type FailedAttempt,
  type RetryDecision,
  type RetryPolicy,
} from './upstream-retry.js';

export interface FetchWithRetryOptions {
  /** Sends one attempt; must honour the signal. */
  send: (signal: CancelSignal) => Promise<UpstreamResponse>;
  policy: RetryPolicy;
  /** Aborted when the proxy's own client went away: stops waiting and sending at once. */
  signal: CancelSignal;
  /** Longest wait for the response headers of one attempt. */
  firstByteTimeoutMs: number;
  /**
   * Whether an attempt whose headers did not come in time is sent again (default true). Not for a
   * non-streamed answer: its provider may still be generating the first one.
   */
  retryTimeouts?: boolean;
  /**
   * For an event stream: how long to hold its opening events (`message_start`, `ping`...) waiting
   * for the first other one, which is looked at before the stream is handed on. An error there
   * (`overloaded_error` after a 200) is retried like the status it stands for, since the client has
   * not seen a byte; if it is the last attempt, the stream goes to the caller as it came. After the
   * wait, what came so far is handed on unjudged.
   */
  streamStart?: { waitMs: number };
  sleep?: (ms: number, signal: CancelSignal) => Promise<void>;
  random?: () => number;
  onRetry?: (retry: { attempt: number; delayMs: number; status: number | undefined }) => void;
}

export interface UpstreamResult {
  /** A success (its body not read yet), or the final failure (its body read: see `failureBody`). */
  response: UpstreamResponse;
  /** The text of a final failure's body (set with `giveUp`). */
  failureBody: string | undefined;
  attempts: number;
  /** Aborts the returned response's body: used on client disconnect and stalls. */
  abort: () => void;
  /** Set when the response is a failure the loop gave up on. */
  giveUp: Extract<RetryDecision, { action: 'give_up' }>['reason'] | undefined;
  /** The provider's error type of a final failure (`insufficient_quota`...). */
  errorType: string | undefined;
}

export async function fetchWithRetry(options: FetchWithRetryOptions): Promise<UpstreamResult> {
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt += 1) {
    throwIfCancelled(options.signal);
    const outcome = await attemptOnce(options);
    if (outcome.kind === 'ok') {
      const result: UpstreamResult = {
        response: outcome.response,
        attempts: attempt,
        abort: outcome.abort,
        failureBody: undefined,
        giveUp: undefined,
        errorType: undefined,
      };
      const start = await inspectStreamStart(result, options);
      if (start.kind === 'clean') return result;
      const failure = start.kind === 'broken' ? unreachable : start.failure;
      const decision = decideUpstreamRetry(failure, attempt, options.policy, random());
      if (decision.action === 'give_up') {
        if (start.kind === 'broken') throw connectionFailure(start.error, false, options);
        // Out of attempts, or not worth one: the error event reaches the caller in the stream it came in.
        return result;
      }
      discard(result);
      options.onRetry?.({ attempt, delayMs: decision.delayMs, status: failure.status });
      await sleep(decision.delayMs, options.signal);
      continue;
    }
    if (outcome.kind === 'unreachable' && outcome.timedOut && options.retryTimeouts === false) {
      throw connectionFailure(outcome.error, true, options);
    }
    const decision = decideUpstreamRetry(outcome.failure, attempt, options.policy, random());
    if (decision.action === 'give_up') {
      if (outcome.kind === 'unreachable') throw connectionFailure(outcome.error, outcome.timedOut, options);
      const { response, body, failure } = outcome;
      return {
        response,
        attempts: attempt,
        abort: () => undefined,
        failureBody: body,
        giveUp: decision.reason,
        errorType: failure.errorType,
      };
    }
    options.onRetry?.({ attempt, delayMs: decision.delayMs, status: outcome.failure.status });
    await sleep(decision.delayMs, options.signal);
  }
}

type AttemptOutcome =
  | { kind: 'ok'; response: UpstreamResponse; abort: () => void }
  | { kind: 'failed'; response: UpstreamResponse; body: string; failure: FailedAttempt }
  | { kind: 'unreachable'; error: unknown; timedOut: boolean; failure: FailedAttempt };

async function attemptOnce(options: FetchWithRetryOptions): Promise<AttemptOutcome> {
  const controller = new Cancellation();
  const abort = (): void => controller.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  let timedOut = false;
  const headerTimer = setTimeout(() => {
    timedOut = true;
    abort();
  }, options.firstByteTimeoutMs);
  let succeeded = false;
  try {
    const response = await options.send(controller);
    if (response.status >= 200 && response.status < 300) {
      succeeded = true;
      return { kind: 'ok', response, abort };
    }
    // Error bodies are small; reading them tells a spend limit from a rate limit.
    const body = await readBodyText(response.body);
    const failure = {
      status: response.status,
      retryAfterMs: parseRetryAfterMs(response.headers),
      errorType: errorTypeOf(body),
    };
    return { kind: 'failed', response, body, failure };
  } catch (error) {
    throwIfCancelled(options.signal);
    return {
      kind: 'unreachable',
      error,
      timedOut,
      failure: { status: undefined, retryAfterMs: undefined, errorType: undefined },
    };
  } finally {
    clearTimeout(headerTimer);
    // The caller's signal stays linked to a successful attempt, so a disconnect aborts its body too.
    if (!succeeded) options.signal.removeEventListener('abort', abort);
  }
}

type StreamStart =
  { kind: 'clean' } | { kind: 'error_event'; failure: FailedAttempt } | { kind: 'broken'; error: unknown };

const unreachable: FailedAttempt = { status: undefined, retryAfterMs: undefined, errorType: undefined };

/**
 * For an event stream, whether its first event after the opening ones is an error, or its connection
 * broke before one came (both retryable: the client has not seen a byte). The chunks read stay in
 * the body. What does not come within the wait is left to the stream's reader.
 */
async function inspectStreamStart(
  result: UpstreamResult,
  options: FetchWithRetryOptions,
): Promise<StreamStart> {
  if (options.streamStart === undefined) return { kind: 'clean' };
  let verdict: StreamStartVerdict | undefined;
  try {
    verdict = await readStreamStart(result.response.body, options.streamStart.waitMs, (text) => {
      const judged = judgeStreamStart(text);
      return judged.kind === 'undecided' ? undefined : judged;
    });
  } catch (error) {
    discard(result);
    throwIfCancelled(options.signal);
    return { kind: 'broken', error };
  }
  // Undecided when the wait ran out: what came is handed on unjudged.
  return verdict?.kind === 'failure' ? { kind: 'error_event', failure: verdict.failure } : { kind: 'clean' };
}

/** Closes a response whose body will not be read; its abort error must not go unheard. */
function discard(result: UpstreamResult): void {
  result.response.body.on('error', () => undefined);
  result.abort();
}

/** The provider's error type: Anthropic `{error: {type}}`, OpenAI `{error: {type, code}}`. */
export function errorTypeOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { type?: unknown; code?: unknown } };
    const code = typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
    const type = typeof parsed.error?.type === 'string' ? parsed.error.type : undefined;
    // OpenAI puts `insufficient_quota` in `code` (and sometimes `type`): prefer the more specific one.
    return code ?? type;
  } catch {
    return undefined;
  }
}

function connectionFailure(error: unknown, timedOut: boolean, options: FetchWithRetryOptions): LoomError {
  if (timedOut) {
    return new LoomError('timeout', `the provider sent no response within ${options.firstByteTimeoutMs} ms`, {
      cause: error,
    });
  }
  return new LoomError('upstream_unavailable', 'the provider could not be reached', { cause: error });
}

function throwIfCancelled(signal: CancelSignal): void {
  if (signal.aborted) throw new LoomError('cancelled', 'the client went away');
}

export function abortableSleep(ms: number, signal: CancelSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new LoomError('cancelled', 'the client went away'));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new LoomError('cancelled', 'the client went away'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
