/**
 * Sends a call (a model call, or a GET of the model list) to its provider through the retry loop, with the proxy's timeouts and policy,
 * and turns a final failure into the LoomError a normalized caller receives.
 */
import { isLoomError, LoomError } from '../errors/index.js';
import { classifyProviderStatus, parseRetryAfterMs } from '../llm/index.js';
import type { AuthorizedCall } from './authorize-call.js';
import type { CancelSignal } from './cancellation.js';
import { fetchWithRetry, type UpstreamResult } from './fetch-with-retry.js';
import { defaultUpstreamFetch } from './undici-upstream-fetch.js';
import { defaultProxyTimeouts, type ProxyDeps } from './proxy-deps.js';
import { redactKey } from './redact-key.js';
import { upstreamRequest, type ForwardedHeaders, type ProviderEndpoint } from './upstream-request.js';
import { defaultRetryPolicy } from './upstream-retry.js';

export interface OpenUpstreamInput {
  /** The model is only named in logs; a model list has none. */
  call: Pick<AuthorizedCall, 'provider' | 'upstream'> & { model?: string };
  /** The request body; undefined: a GET (model lists). */
  body: string | undefined;
  /** The provider streams its answer (headers come first) or sends it whole once generated. */
  streaming: boolean;
  signal: CancelSignal;
  forwarded?: ForwardedHeaders;
  search?: string;
  /** Default: the provider's model call (`/v1/messages`, `/chat/completions`). */
  endpoint?: ProviderEndpoint;
  /**
   * The answer is an event stream whose first event is looked at before it is handed on: an error
   * there (after a 200) is retried like its status.
   */
  eventStream?: boolean;
}

export async function openUpstream(deps: ProxyDeps, input: OpenUpstreamInput): Promise<UpstreamResult> {
  try {
    return await sendWithRetry(deps, input);
  } catch (error) {
    // The caller hears "could not be reached"; the operator needs why (DNS, refused, a proxy's 407).
    if (isLoomError(error) && error.code !== 'cancelled') {
      deps.logger.warn(
        { provider: input.call.provider, code: error.code, reason: reasonOf(error.cause) },
        'the provider call failed before any answer',
      );
    }
    throw error;
  }
}

/**
 * How long a stream's opening events (`message_start`...) are held waiting for the first other one
 * (content, or an error in its place) before the stream is handed on unjudged. The wait delays the
 * headers and those opening events, which a client cannot show anything from; never content.
 */
const firstEventWaitMs = 1000;

function sendWithRetry(deps: ProxyDeps, input: OpenUpstreamInput): Promise<UpstreamResult> {
  const request = upstreamRequest(input.call, input.body, input.forwarded, input.search, input.endpoint);
  const send = deps.fetch ?? defaultUpstreamFetch;
  return fetchWithRetry({
    // Field by field, not `{ ...request.init, signal }`: see specs/proxy.md, "Spread copies".
    send: (signal) =>
      send(request.url, {
        method: request.init.method,
        headers: request.init.headers,
        body: request.init.body,
        signal,
      }),
    policy: deps.retryPolicy ?? defaultRetryPolicy,
    signal: input.signal,
    firstByteTimeoutMs: input.streaming
      ? (deps.timeouts?.firstByteMs ?? defaultProxyTimeouts.firstByteMs)
      : (deps.timeouts?.answerMs ?? defaultProxyTimeouts.answerMs),
    retryTimeouts: input.streaming,
    ...(input.eventStream === true ? { streamStart: { waitMs: firstEventWaitMs } } : {}),
    ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
    onRetry: (retry) =>
      deps.logger.warn(
        { provider: input.call.provider, model: input.call.model, ...retry },
        'retrying the provider before the first byte',
      ),
  });
}

/**
 * The error a normalized caller sees when the provider failed before answering. Provider auth
 * failures (401/403/402) are the server's key's problem, reported as `upstream_rejected` so a caller
 * never takes them for its own token being refused.
 */
export function upstreamFailureError(result: UpstreamResult, apiKey: string | undefined): LoomError {
  const status = result.response.status;
  const body = redactKey(result.failureBody ?? '', apiKey);
  const classified =
    status === 401 || status === 402 || status === 403
      ? { code: 'upstream_rejected' as const, retryable: false }
      : classifyProviderStatus(status);
  const retryAfterMs = parseRetryAfterMs(result.response.headers);
  const spendLimit = result.giveUp === 'spend_limit';
  return new LoomError(classified.code, `the provider answered HTTP ${status}${detailOf(body)}`, {
    retryable: spendLimit ? false : classified.retryable,
    details: {
      status,
      attempts: result.attempts,
      ...(result.errorType === undefined ? {} : { provider_error: result.errorType }),
      ...(retryAfterMs === undefined ? {} : { retry_after_ms: retryAfterMs }),
    },
  });
}

/** The connection error's own words, with its code (`ECONNREFUSED`, `ENOTFOUND`...) when it has one. */
function reasonOf(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return cause === undefined ? undefined : String(cause);
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' && !cause.message.includes(code)
    ? `${code}: ${cause.message}`
    : cause.message;
}

function detailOf(body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' && message !== '' ? `: ${message.slice(0, 300)}` : '';
  } catch {
    return '';
  }
}
