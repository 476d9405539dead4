/**
 * The `LlmClient` that talks to Loom's proxy (`POST {server}/proxy/{provider}/stream`) with a Loom
 * token. Workers always use it (provider keys live only in the server); `loom run` uses it when
 * LOOM_SERVER_URL and LOOM_TOKEN are set. Like every adapter it never throws: failures, including
 * the proxy's own refusals (401, 402 budget, 429), end the stream with one `error` event.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { loomErrorCodes, type LoomErrorCode } from '../errors/index.js';
import { parseRetryAfterMs, type LlmErrorPayload, type LlmStreamEvent } from '../llm/index.js';
import type { LlmCallOptions, LlmClient, LlmRequest } from '../llm/index.js';
import { isLoomError } from '../errors/index.js';
import { readWithIdleTimeout } from './read-with-idle-timeout.js';
import { createSseParser } from './sse-parser.js';
import type { ProxyProvider } from './usage-ledger.js';

export interface ProxyLlmClientOptions {
  /** The Loom server (`LOOM_SERVER_URL`), or its proxy mount (`…/proxy`, as in `LOOM_PROXY_URL`). */
  baseUrl: string;
  /** A Loom token (`loom token create`, or the job token a worker minted). */
  token: string;
  provider: ProxyProvider;
  fetch?: typeof fetch;
  /** Longest silence from the proxy; above the proxy's own upstream idle limit (default 180 s). */
  idleTimeoutMs?: number;
}

export function createProxyLlmClient(options: ProxyLlmClientOptions): LlmClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const url = `${base.endsWith('/proxy') ? base : `${base}/proxy`}/${options.provider}/stream`;
  return {
    provider: 'proxy',
    stream: (request, callOptions) => streamFromProxy(url, options, request, callOptions),
  };
}

async function* streamFromProxy(
  url: string,
  options: ProxyLlmClientOptions,
  request: LlmRequest,
  callOptions: LlmCallOptions = {},
): AsyncGenerator<LlmStreamEvent> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  callOptions.signal?.addEventListener('abort', abort, { once: true });
  const cancelled = (): LlmStreamEvent => ({
    type: 'error',
    error: { code: 'cancelled', message: 'the model call was cancelled', retryable: false },
  });
  try {
    if (callOptions.signal?.aborted) return yield cancelled();
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          accept: 'text/event-stream',
        },
        body: JSON.stringify(request),
        signal: controller.signal,
      });
    } catch {
      if (callOptions.signal?.aborted) return yield cancelled();
      return yield failure('upstream_unavailable', `cannot reach the Loom proxy at ${url}`, true);
    }
    if (!response.ok) return yield { type: 'error', error: await refusal(response) };
    const idleMs = options.idleTimeoutMs ?? 180_000;
    const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
    try {
      for await (const event of llmEvents(readWithIdleTimeout(body, idleMs, abort))) {
        yield event;
        if (event.type === 'completed' || event.type === 'error') return;
      }
    } catch (error) {
      if (callOptions.signal?.aborted) return yield cancelled();
      if (isLoomError(error, 'timeout'))
        return yield failure('timeout', `the Loom proxy sent nothing for ${idleMs} ms`, true);
      return yield failure('upstream_unavailable', 'the stream from the Loom proxy broke off', true);
    }
    yield failure('upstream_unavailable', 'the Loom proxy stream ended without a result', true);
  } finally {
    callOptions.signal?.removeEventListener('abort', abort);
    controller.abort();
  }
}

async function* llmEvents(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<LlmStreamEvent> {
  const parser = createSseParser();
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
      if (event.event === 'llm') yield JSON.parse(event.data) as LlmStreamEvent;
    }
  }
}

/** The proxy's JSON refusal (`{error: {code, message, retryable}}`) as a normalized error. */
async function refusal(response: Response): Promise<LlmErrorPayload> {
  let error: { code?: unknown; message?: unknown; retryable?: unknown } = {};
  try {
    error = ((await response.json()) as { error?: typeof error }).error ?? {};
  } catch {
    // Not Loom's JSON (a reverse proxy's error page): fall back on the status.
  }
  const code: LoomErrorCode =
    typeof error.code === 'string' && Object.hasOwn(loomErrorCodes, error.code)
      ? (error.code as LoomErrorCode)
      : response.status >= 500
        ? 'upstream_unavailable'
        : 'upstream_rejected';
  const retryAfterMs = parseRetryAfterMs(response.headers);
  return {
    code,
    message:
      typeof error.message === 'string' ? error.message : `the Loom proxy answered HTTP ${response.status}`,
    retryable: typeof error.retryable === 'boolean' ? error.retryable : loomErrorCodes[code].retryable,
    status: response.status,
    ...(retryAfterMs === undefined ? {} : { retry_after_ms: retryAfterMs }),
  };
}

function failure(code: LoomErrorCode, message: string, retryable: boolean): LlmStreamEvent {
  return { type: 'error', error: { code, message, retryable } };
}
