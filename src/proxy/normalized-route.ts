/**
 * `POST /proxy/{provider}/stream` and `/complete`: Loom's normalized request in, Loom's normalized
 * answer out (SSE events named `llm`, or one JSON response). The request is translated by the model
 * adapters' pure functions, sent through the retry loop, and the provider's stream is translated
 * back event by event as it arrives.
 */
import type { ServerResponse } from 'node:http';
import { isLoomError, LoomError, toLoomError } from '../errors/index.js';
import {
  costOfUsage,
  loomErrorFromPayload,
  toAnthropicRequest,
  toOpenAiRequest,
  type LlmRequest,
  type LlmStreamEvent,
  type Usage,
} from '../llm/index.js';
import { authenticate } from './authenticate-request.js';
import { authorizeCall, type AuthorizedCall } from './authorize-call.js';
import { llmRequestSchema } from './llm-request-schema.js';
import { meterCall, type CallOutcome } from './meter-call.js';
import { normalizedUpstreamEvents } from './normalized-upstream-events.js';
import { openUpstream, upstreamFailureError } from './open-upstream.js';
import {
  defaultProxyTimeouts,
  proxyBodyLimitBytes,
  type ProxyCallHandler,
  type ProxyDeps,
} from './proxy-deps.js';
import { readJsonObjectBody } from './read-request-body.js';
import { readWithIdleTimeout } from './read-with-idle-timeout.js';
import { sendProxyError } from './send-proxy-error.js';
import { createSseWriter, type SseWriter } from './sse-writer.js';
import type { ProxyProvider } from './usage-ledger.js';
import { createUsageSniffer } from './usage-sniffer.js';
import { watchClientDisconnect } from './watch-client-disconnect.js';

export type NormalizedMode = 'stream' | 'complete';

export function createNormalizedHandler(
  deps: ProxyDeps,
  provider: ProxyProvider,
  mode: NormalizedMode,
): ProxyCallHandler {
  const now = deps.now ?? Date.now;
  return async (request, response) => {
    const startedAt = now();
    let call: AuthorizedCall;
    let llmRequest: LlmRequest;
    try {
      // The token first: a request without a valid one is refused before its body is even read.
      const claims = await authenticate(deps, request);
      const { body } = await readJsonObjectBody(request, proxyBodyLimitBytes);
      const parsed = llmRequestSchema.safeParse(body);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
        throw new LoomError('invalid_input', 'invalid request body', { details: { problems } });
      }
      call = await authorizeCall(deps, claims, provider, parsed.data.model);
      // Object.assign, not `{ ...parsed.data, model }`: see specs/proxy.md, "Spread copies".
      llmRequest = Object.assign({}, parsed.data, { model: call.model });
    } catch (error) {
      return sendProxyError(response, toLoomError(error));
    }
    const outcome = await runCall(deps, call, llmRequest, mode, response);
    await meterCall(deps, call, mode, startedAt, outcome);
  };
}

async function runCall(
  deps: ProxyDeps,
  call: AuthorizedCall,
  llmRequest: LlmRequest,
  mode: NormalizedMode,
  response: ServerResponse,
): Promise<CallOutcome> {
  const signal = watchClientDisconnect(response);
  const sniffer = createUsageSniffer(call.provider);
  const sse = mode === 'stream' ? createSseWriter(response) : undefined;
  const finish = (
    status: CallOutcome['status'],
    httpStatus: number,
    errorCode?: string,
    attempts?: number,
  ): CallOutcome => {
    const usage: Usage = sniffer.usage();
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
  let attempts: number | undefined;
  try {
    const body = JSON.stringify(
      call.provider === 'anthropic' ? toAnthropicRequest(llmRequest) : toOpenAiRequest(llmRequest),
    );
    // Both modes ask the provider for a stream: its events show progress, so a stall is told from a
    // long answer, and /complete reads the same events as /stream.
    const upstream = await openUpstream(deps, { call, body, streaming: true, eventStream: true, signal });
    attempts = upstream.attempts;
    if (upstream.giveUp !== undefined) throw upstreamFailureError(upstream, call.upstream.apiKey);
    // From here on nothing is retried: the provider accepted the call and its bytes may reach the client.
    sse?.open();
    const idleMs = deps.timeouts?.idleMs ?? defaultProxyTimeouts.idleMs;
    const chunks = readWithIdleTimeout(upstream.response.body, idleMs, upstream.abort, drainMs);
    const events = normalizedUpstreamEvents(call.provider, chunks, (payload) => sniffer.observe(payload))[
      Symbol.asyncIterator
    ]();
    // The stream's final event tells the client what the call cost, as it is metered below.
    const priced = (event: LlmStreamEvent): LlmStreamEvent =>
      event.type === 'completed'
        ? Object.assign({}, event, { cost_usd: costOfUsage(call.model, sniffer.usage(), deps.prices) })
        : event;
    const last = sse === undefined ? await lastEvent(events) : await forwardEvents(events, sse, priced);
    // The answer is complete; what is left of the provider's body (its last bytes) is read after the
    // client's answer, so the provider's connection is reused instead of cut.
    finishAfterAnswer(events, response);
    if (last.type === 'completed') {
      if (sse === undefined) sendJson(response, last.response);
      return finish('ok', 200, undefined, attempts);
    }
    if (last.type === 'error' && sse === undefined)
      sendProxyError(response, loomErrorFromPayload(last.error));
    return finish(
      'error',
      sse === undefined ? loomErrorFromPayload(last.error).httpStatus : 200,
      last.error.code,
      attempts,
    );
  } catch (error) {
    const failure = signal.aborted ? new LoomError('cancelled', 'the client went away') : asLoomError(error);
    if (sse?.started) {
      await sse.send('llm', {
        type: 'error',
        error: { code: failure.code, message: failure.message, retryable: failure.retryable },
      });
    } else if (!signal.aborted) {
      sendProxyError(response, failure);
    }
    const status = signal.aborted ? 'cancelled' : 'error';
    return finish(status, sse?.started ? 200 : failure.httpStatus, failure.code, attempts);
  } finally {
    sse?.end();
  }
}

type FinalEvent = Extract<LlmStreamEvent, { type: 'completed' | 'error' }>;

/**
 * Sends each event as it comes, up to the final one. The iterator is read with `next()`, not
 * `for await`, which would end it (and cut the provider's connection) on leaving the loop.
 */
async function forwardEvents(
  events: AsyncIterator<LlmStreamEvent>,
  sse: SseWriter,
  priced: (event: LlmStreamEvent) => LlmStreamEvent,
): Promise<FinalEvent> {
  for (let next = await events.next(); next.done !== true; next = await events.next()) {
    const event = next.value;
    await sse.send('llm', priced(event));
    if (event.type === 'completed' || event.type === 'error') return event;
  }
  const cut: FinalEvent = {
    type: 'error',
    error: { code: 'internal', message: 'the stream ended without a result', retryable: true },
  };
  await sse.send('llm', cut);
  return cut;
}

async function lastEvent(events: AsyncIterator<LlmStreamEvent>): Promise<FinalEvent> {
  for (let next = await events.next(); next.done !== true; next = await events.next()) {
    const event = next.value;
    if (event.type === 'completed' || event.type === 'error') return event;
  }
  return {
    type: 'error',
    error: { code: 'internal', message: 'the stream ended without a result', retryable: true },
  };
}

/** How long the rest of a provider's body may take after the final event before it is cut. */
const drainMs = 1000;

/**
 * Ends the provider's event stream once the client has its answer. Its readers' `finally` blocks
 * run, and `readWithIdleTimeout` reads what is left of the body (the final event usually arrives a
 * few bytes before the end) so the keep-alive connection goes back to the pool; a provider that
 * keeps sending, or stays open, is cut after `drainMs`.
 */
function finishAfterAnswer(events: AsyncIterator<LlmStreamEvent>, response: ServerResponse): void {
  const finish = (): void => {
    // Broke after the answer: nothing left to tell anyone.
    events.return?.().catch(() => undefined);
  };
  // Only once the answer is out (`finally` of runCall ends an SSE response right after this): a
  // response closes when it finished, or when its client left.
  if (response.closed) finish();
  else response.once('close', finish);
}

/** A stall (timeout) keeps its code; a broken connection mid-body reads as the provider's trouble. */
function asLoomError(error: unknown): LoomError {
  if (isLoomError(error)) return error;
  return new LoomError('upstream_unavailable', 'the connection to the provider broke', {
    cause: error,
    retryable: true,
  });
}

function sendJson(response: ServerResponse, body: unknown): void {
  response.statusCode = 200;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}
