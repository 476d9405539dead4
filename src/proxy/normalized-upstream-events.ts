/**
 * A provider's streamed response body → Loom's normalized events. The bytes are parsed as SSE here
 * and translated by the model adapters' own pure readers, so the proxy and a direct client read a
 * provider the same way. An error the provider reports inside the stream becomes an `error` event.
 */
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import {
  readAnthropicStream,
  readOpenAiStream,
  type LlmErrorPayload,
  type LlmStreamEvent,
} from '../llm/index.js';
import { createSseParser, type SseEvent } from './sse-parser.js';
import type { ProxyProvider } from './usage-ledger.js';

interface Reported {
  onPayload: (payload: unknown) => void;
  error?: LlmErrorPayload;
}

export async function* normalizedUpstreamEvents(
  provider: ProxyProvider,
  chunks: AsyncIterable<Uint8Array>,
  onPayload: (payload: unknown) => void = () => undefined,
): AsyncGenerator<LlmStreamEvent> {
  const reported: Reported = { onPayload };
  const events =
    provider === 'anthropic'
      ? readAnthropicStream(payloads<RawMessageStreamEvent>(chunks, provider, reported))
      : readOpenAiStream(payloads<ChatCompletionChunk>(chunks, provider, reported));
  for await (const event of events) {
    // The reader saw the stream end early; the provider's own error explains why.
    if (event.type === 'error' && reported.error !== undefined) {
      yield { type: 'error', error: reported.error };
      return;
    }
    yield event;
  }
}

async function* payloads<Payload>(
  chunks: AsyncIterable<Uint8Array>,
  provider: ProxyProvider,
  reported: Reported,
): AsyncGenerator<Payload> {
  const parser = createSseParser();
  const decoder = new TextDecoder();
  const toPayloads = function* (events: SseEvent[]): Generator<Payload | 'stop'> {
    for (const event of events) {
      if (event.data === '[DONE]') return yield 'stop';
      const data = JSON.parse(event.data) as { type?: unknown; error?: unknown };
      const error = streamError(provider, event.event, data);
      if (error !== undefined) {
        reported.error = error;
        return yield 'stop';
      }
      reported.onPayload(data);
      yield data as Payload;
    }
  };
  for await (const chunk of chunks) {
    for (const payload of toPayloads(parser.push(decoder.decode(chunk, { stream: true })))) {
      if (payload === 'stop') return;
      yield payload;
    }
  }
  for (const payload of toPayloads(parser.push(decoder.decode()).concat(parser.finish()))) {
    if (payload === 'stop') return;
    yield payload;
  }
}

/** Anthropic: `event: error` with `{type: 'error', error: {type}}`; OpenAI: a chunk with an `error` object. */
function streamError(
  provider: ProxyProvider,
  eventName: string,
  data: { type?: unknown; error?: unknown },
): LlmErrorPayload | undefined {
  const isError =
    provider === 'anthropic' ? eventName === 'error' || data.type === 'error' : data.error !== undefined;
  if (!isError) return undefined;
  const error = (typeof data.error === 'object' && data.error !== null ? data.error : {}) as {
    type?: unknown;
    code?: unknown;
  };
  const type =
    typeof error.type === 'string' ? error.type : typeof error.code === 'string' ? error.code : 'unknown';
  const rateLimited = type === 'rate_limit_error' || type === 'rate_limit_exceeded';
  return {
    code: rateLimited ? 'rate_limited' : 'upstream_unavailable',
    // After a 200 the request itself was accepted: an error now is the provider's trouble.
    message: `the provider reported an error mid-stream (${type})`,
    retryable: true,
  };
}
