/**
 * `POST /proxy/anthropic/v1/messages` and `POST /proxy/openai/v1/chat/completions`: the providers'
 * own wire formats, streaming included, so an official SDK pointed at Loom (base URL = the proxy,
 * API key = a Loom token) just works. The body is passed on as the caller wrote it (only `model`
 * resolved and OpenAI's usage chunk requested); the response bytes are written as they arrive.
 */
import type { Request, RequestHandler, Response } from 'express';
import { isLoomError, LoomError, toLoomError } from '../errors/index.js';
import { claimsOf } from './authenticate-request.js';
import { authorizeCall, type AuthorizedCall } from './authorize-call.js';
import type { UpstreamResult } from './fetch-with-retry.js';
import { meterCall, type CallOutcome } from './meter-call.js';
import { openUpstream } from './open-upstream.js';
import { defaultProxyTimeouts, type ProxyDeps } from './proxy-deps.js';
import { readWithIdleTimeout } from './read-with-idle-timeout.js';
import { redactKey } from './redact-key.js';
import { sendProxyError } from './send-proxy-error.js';
import { writeChunk } from './sse-writer.js';
import { forwardedSearch } from './upstream-request.js';
import type { ProxyProvider } from './usage-ledger.js';
import { createUsageTap, type UsageTap } from './usage-tap.js';
import { watchClientDisconnect } from './watch-client-disconnect.js';

/** Response headers a caller may see; everything else (cookies, provider org ids...) stays behind. */
const relayedHeaders = ['content-type', 'request-id', 'x-request-id', 'retry-after', 'retry-after-ms'];

export function createNativeHandler(deps: ProxyDeps, provider: ProxyProvider): RequestHandler {
  const now = deps.now ?? Date.now;
  const route = provider === 'anthropic' ? 'anthropic_messages' : 'openai_chat_completions';
  return async (request, response) => {
    const startedAt = now();
    let incoming: IncomingBody;
    try {
      incoming = parseBody(request.body);
    } catch (error) {
      return sendProxyError(response, toLoomError(error));
    }
    let call: AuthorizedCall;
    try {
      call = await authorizeCall(deps, claimsOf(response), provider, incoming.body.model);
    } catch (error) {
      return sendProxyError(response, toLoomError(error));
    }
    const outcome = await relay(
      deps,
      call,
      outgoingBody(provider, incoming, call.model),
      incoming.body.stream === true,
      request,
      response,
    );
    await meterCall(deps, call, route, startedAt, outcome);
  };
}

interface IncomingBody {
  /** The caller's bytes as text, forwarded unchanged when nothing needs rewriting. */
  text: string;
  body: Record<string, unknown>;
}

function parseBody(raw: unknown): IncomingBody {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LoomError('invalid_input', 'the request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LoomError('invalid_input', 'the body must be a JSON object');
  }
  return { text, body: body as Record<string, unknown> };
}

/**
 * The caller's own text when the model needs no resolving (SDKs name it) and no usage chunk must be
 * requested; otherwise the body re-serialized with those two changes. Saves a stringify of the whole
 * conversation on almost every call.
 */
function outgoingBody(provider: ProxyProvider, incoming: IncomingBody, model: string): string {
  const { body } = incoming;
  const usageRequested =
    provider !== 'openai' ||
    body.stream !== true ||
    (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  if (body.model === model && usageRequested && unambiguous(incoming.text)) return incoming.text;
  const outgoing: Record<string, unknown> = { ...body, model };
  if (!usageRequested) {
    // Without it an OpenAI stream carries no usage, and the call could not be metered.
    const options =
      typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {};
    outgoing.stream_options = { ...options, include_usage: true };
  }
  return JSON.stringify(outgoing);
}

async function relay(
  deps: ProxyDeps,
  call: AuthorizedCall,
  body: string,
  streaming: boolean,
  request: Request,
  response: Response,
): Promise<CallOutcome> {
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
    };
  };
  let upstream: UpstreamResult;
  try {
    upstream = await openUpstream(deps, {
      call,
      body,
      signal,
      forwarded: {
        'anthropic-version': request.get('anthropic-version'),
        'anthropic-beta': request.get('anthropic-beta'),
      },
      search: forwardedSearch(request.originalUrl),
    });
  } catch (error) {
    const failure = toLoomError(error, 'upstream_unavailable');
    if (!signal.aborted) sendProxyError(response, failure);
    return finish(signal.aborted ? 'cancelled' : 'error', failure.httpStatus, failure.code);
  }
  copyHeaders(upstream.response.headers, response);
  response.status(upstream.response.status);
  if (upstream.giveUp !== undefined) {
    // A failure body is small and already read: hand it back, minus anything that looks like our key.
    response.send(redactKey(await upstream.response.text(), call.upstream.apiKey));
    return finish(
      'error',
      upstream.response.status,
      upstream.errorType ?? `http_${upstream.response.status}`,
      upstream.attempts,
    );
  }
  response.socket?.setNoDelay(true);
  const idleMs = deps.timeouts?.idleMs ?? defaultProxyTimeouts.idleMs;
  return pump(upstream, { provider: call.provider, idleMs, response, signal, streaming, tap, finish });
}

interface PumpContext {
  provider: ProxyProvider;
  idleMs: number;
  response: Response;
  signal: AbortSignal;
  streaming: boolean;
  tap: UsageTap;
  finish: (
    status: CallOutcome['status'],
    httpStatus: number,
    errorCode?: string,
    attempts?: number,
  ) => CallOutcome;
}

/**
 * Writes each chunk as it arrives; a stall or a broken upstream ends the stream with an error event.
 * A non-streamed answer is one JSON document the caller cannot use before its end, so its last chunk
 * is held until the body ends and sent with the end of the response: headers, body and end in one
 * socket write instead of three.
 */
async function pump(upstream: UpstreamResult, context: PumpContext): Promise<CallOutcome> {
  const { response, tap, finish } = context;
  const status = upstream.response.status;
  // A stream's headers leave with its first event (one write, not two: the first event is usually
  // right behind the provider's headers), or after `headerFlushMs` when the provider is slower.
  const flushTimer = context.streaming ? setTimeout(() => response.flushHeaders(), headerFlushMs) : undefined;
  try {
    const body = upstream.response.body as ReadableStream<Uint8Array>;
    let held: Uint8Array | undefined;
    for await (const chunk of readWithIdleTimeout(body, context.idleMs, upstream.abort)) {
      tap.push(chunk);
      if (context.streaming) {
        clearTimeout(flushTimer);
        await writeChunk(response, chunk, context.idleMs);
        continue;
      }
      if (held !== undefined) await writeChunk(response, held, context.idleMs);
      held = chunk;
    }
    if (held === undefined) response.end();
    else response.end(held);
    return finish('ok', status, undefined, upstream.attempts);
  } catch (error) {
    if (context.signal.aborted) return finish('cancelled', status, 'cancelled', upstream.attempts);
    const failure = isLoomError(error)
      ? error
      : new LoomError('upstream_unavailable', 'the provider connection broke');
    if (context.streaming) {
      await writeChunk(response, streamErrorEvent(context.provider, failure));
      response.end();
    } else {
      response.destroy();
    }
    return finish('error', status, failure.code, upstream.attempts);
  } finally {
    clearTimeout(flushTimer);
  }
}

/** How long a stream's headers may wait for its first event before they are sent alone. */
const headerFlushMs = 20;

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

function copyHeaders(from: Headers, to: Response): void {
  for (const name of relayedHeaders) {
    const value = from.get(name);
    if (value !== null) to.setHeader(name, value);
  }
}
