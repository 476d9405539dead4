/**
 * `POST /proxy/anthropic/v1/messages` and `POST /proxy/openai/v1/chat/completions`: the providers'
 * own wire formats, streaming included, so an official SDK pointed at Loom (base URL = the proxy,
 * API key = a Loom token) just works. The body is passed on as the caller wrote it (only `model`
 * resolved and OpenAI's usage chunk requested); the response bytes are written as they arrive.
 *
 * This is the hottest path of the server, so it relays the provider's body with node stream events,
 * backpressure included. Like every proxy route, the whole call (token, rate limit, body, budget,
 * relay, metering) is one function on node's request and response (see create-proxy-router.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoomError, LoomError, toLoomError } from '../errors/index.js';
import { authenticate } from './authenticate-request.js';
import { authorizeCall, type AuthorizedCall } from './authorize-call.js';
import { adviceForProviderFailure, shouldRetryHeader } from './client-retry-advice.js';
import type { UpstreamResult } from './fetch-with-retry.js';
import { jsonCopyWith } from './json-copy.js';
import { meterCall, type CallOutcome } from './meter-call.js';
import { openUpstream } from './open-upstream.js';
import {
  defaultProxyTimeouts,
  proxyBodyLimitBytes,
  type ProxyCallHandler,
  type ProxyDeps,
} from './proxy-deps.js';
import { readJsonObjectBody, type JsonRequestBody } from './read-request-body.js';
import { redactKey } from './redact-key.js';
import { headerOf } from './request-header.js';
import { relayBody } from './relay-body.js';
import { sendProxyError } from './send-proxy-error.js';
import type { ProviderEndpoint } from './upstream-request.js';
import type { ProxyProvider, ProxyRoute } from './usage-ledger.js';
import { createUsageTap } from './usage-tap.js';
import { watchClientDisconnect } from './watch-client-disconnect.js';

/** Response headers a caller may see; everything else (cookies, provider org ids...) stays behind. */
const relayedHeaders = ['content-type', 'request-id', 'x-request-id', 'retry-after', 'retry-after-ms'];

/** A provider endpoint a native route passes on, and the name its calls are metered under. */
export interface NativeEndpoint {
  provider: ProxyProvider;
  route: ProxyRoute;
  endpoint: ProviderEndpoint;
}

export const nativeEndpoints = {
  anthropicMessages: { provider: 'anthropic', route: 'anthropic_messages', endpoint: '/v1/messages' },
  /**
   * `messages.countTokens`: free at Anthropic, so it is metered at no cost, but it passes the same
   * checks as a model call (token, rate limit, allow-list, budget), since it names a model.
   */
  anthropicCountTokens: {
    provider: 'anthropic',
    route: 'anthropic_count_tokens',
    endpoint: '/v1/messages/count_tokens',
  },
  openAiChatCompletions: {
    provider: 'openai',
    route: 'openai_chat_completions',
    endpoint: '/chat/completions',
  },
  /** The Responses API (the OpenAI SDK's `responses.create`, Codex): usage comes with every answer. */
  openAiResponses: { provider: 'openai', route: 'openai_responses', endpoint: '/responses' },
} as const satisfies Record<string, NativeEndpoint>;

export function createNativeHandler(deps: ProxyDeps, endpoint: NativeEndpoint): ProxyCallHandler {
  const now = deps.now ?? Date.now;
  const { provider, route } = endpoint;
  return async (request, response) => {
    const startedAt = now();
    let incoming: JsonRequestBody;
    let call: AuthorizedCall;
    try {
      // The token first: a request without a valid one is refused before its body is even read.
      const claims = await authenticate(deps, request);
      incoming = await readJsonObjectBody(request, proxyBodyLimitBytes);
      refuseUnmeterable(endpoint, incoming.body);
      call = await authorizeCall(deps, claims, provider, incoming.body.model);
    } catch (error) {
      return sendProxyError(response, toLoomError(error));
    }
    const outcome = await relay(
      deps,
      call,
      outgoingBody(endpoint, incoming, call.model),
      incoming.body.stream === true,
      endpoint,
      request,
      response,
    );
    await meterCall(deps, call, route, startedAt, outcome);
  };
}

/**
 * The caller's own text when the model needs no resolving (SDKs name it) and no usage chunk must be
 * requested; otherwise the body re-serialized with those two changes. Saves a stringify of the whole
 * conversation on almost every call.
 */
function outgoingBody(endpoint: NativeEndpoint, incoming: JsonRequestBody, model: string): string {
  const { body } = incoming;
  // Only a Chat Completions stream leaves usage out unless asked (the Responses API always sends it).
  const usageRequested =
    endpoint.endpoint !== '/chat/completions' ||
    body.stream !== true ||
    (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  if (body.model === model && usageRequested && unambiguous(incoming.text)) return incoming.text;
  const outgoing = jsonCopyWith(body, { model });
  if (!usageRequested) {
    // Without it an OpenAI stream carries no usage, and the call could not be metered.
    const options =
      typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {};
    outgoing.stream_options = jsonCopyWith(options, { include_usage: true });
  }
  return JSON.stringify(outgoing);
}

async function relay(
  deps: ProxyDeps,
  call: AuthorizedCall,
  body: string,
  streaming: boolean,
  endpoint: NativeEndpoint,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<CallOutcome> {
  // The client went away before its answer was complete: stop the provider call (and any retry wait).
  const signal = watchClientDisconnect(response);
  const tap = createUsageTap(call.provider, streaming);
  const finish = (
    status: CallOutcome['status'],
    httpStatus: number,
    errorCode?: string,
    attempts?: number,
  ): CallOutcome => {
    const usage = tap.finish();
    return {
      status,
      httpStatus,
      errorCode,
      attempts,
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheReadTokens: usage.cache_read_input_tokens,
      cacheWriteTokens: usage.cache_creation_input_tokens,
      cacheWrite1hTokens: usage.cache_creation_1h_input_tokens,
    };
  };
  let upstream: UpstreamResult;
  try {
    upstream = await openUpstream(deps, {
      call,
      body,
      streaming,
      eventStream: streaming,
      signal,
      forwarded: {
        'anthropic-version': headerOf(request, 'anthropic-version'),
        'anthropic-beta': headerOf(request, 'anthropic-beta'),
      },
      search: forwardedSearch(request.url ?? ''),
      endpoint: endpoint.endpoint,
    });
  } catch (error) {
    const failure = toLoomError(error, 'upstream_unavailable');
    // Loom retried the provider already (or must not resend a call that timed out while generating).
    if (!signal.aborted) sendProxyError(response, failure, false);
    return finish(signal.aborted ? 'cancelled' : 'error', failure.httpStatus, failure.code);
  }
  copyHeaders(upstream.response.headers, response);
  response.statusCode = upstream.response.status;
  if (upstream.giveUp !== undefined) {
    const advice = adviceForProviderFailure(upstream.giveUp);
    if (advice !== undefined) response.setHeader(shouldRetryHeader, String(advice));
    // A failure body is small and already read: hand it back, minus anything that looks like our key.
    response.end(redactKey(upstream.failureBody ?? '', call.upstream.apiKey));
    return finish(
      'error',
      upstream.response.status,
      upstream.errorType ?? `http_${upstream.response.status}`,
      upstream.attempts,
    );
  }
  response.socket?.setNoDelay(true);
  const status = upstream.response.status;
  const ended = await relayBody(upstream.response.body, response, {
    streaming,
    idleMs: deps.timeouts?.idleMs ?? defaultProxyTimeouts.idleMs,
    onChunk: (chunk) => tap.push(chunk),
  });
  if (ended.kind === 'complete') return finish('ok', status, undefined, upstream.attempts);
  upstream.abort();
  if (ended.kind === 'client_gone' || signal.aborted) {
    return finish('cancelled', status, 'cancelled', upstream.attempts);
  }
  const failure = isLoomError(ended.error)
    ? ended.error
    : new LoomError('upstream_unavailable', 'the provider connection broke');
  if (streaming) response.end(streamErrorEvent(call.provider, failure));
  // Nothing of a non-streamed answer went out yet (its chunks are held): a plain error answer.
  // Once part of it did, half a JSON document is worse than none: the connection is cut.
  else if (!response.headersSent) sendProxyError(response, failure);
  else response.destroy();
  return finish('error', status, failure.code, upstream.attempts);
}

/** Only `?beta=true`-style flags are passed on; anything else in a query string is dropped. */
export function forwardedSearch(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return '';
  return new URLSearchParams(url.slice(query + 1)).get('beta') === 'true' ? '?beta=true' : '';
}

/**
 * A background response (`background: true`) is answered at once and generated later, its usage
 * known only to whoever fetches it afterwards: the proxy could neither meter it nor hold it to a
 * budget, so it is refused before anything is sent.
 */
function refuseUnmeterable(endpoint: NativeEndpoint, body: Record<string, unknown>): void {
  if (endpoint.endpoint === '/responses' && body.background === true) {
    throw new LoomError(
      'invalid_input',
      'background responses cannot be metered by the Loom proxy; send the request without `background` (streaming if it is long)',
    );
  }
}

/**
 * Whether the provider must read the keys the proxy decided on exactly as JSON.parse did. A repeated
 * key (`{"model": "a", "model": "b"}`) is read last-wins here but might be first-wins upstream, which
 * would let a caller slip past the model allow-list or metering: such bodies are re-serialized. Without
 * `\u` escapes a key can only be spelled literally, so counting the literal spellings is exact (a string
 * value that equals one of them only costs the re-serialization).
 */
function unambiguous(text: string): boolean {
  if (text.includes('\\u')) return false;
  return ['"model"', '"stream"', '"stream_options"'].every(
    (key) => text.indexOf(key) === text.lastIndexOf(key),
  );
}

/** The failure told in the provider's own stream format, so the caller's SDK raises it. */
function streamErrorEvent(provider: ProxyProvider, failure: LoomError): string {
  const message = `Loom proxy: ${failure.message}`;
  if (provider === 'anthropic') {
    return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message } })}\n\n`;
  }
  return `data: ${JSON.stringify({ error: { message, type: 'server_error', code: failure.code } })}\n\n`;
}

function copyHeaders(from: UpstreamResult['response']['headers'], to: ServerResponse): void {
  for (const name of relayedHeaders) {
    const value = from.get(name);
    if (value !== null) to.setHeader(name, value);
  }
}
