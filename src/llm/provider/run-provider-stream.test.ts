import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { LlmStreamEvent } from '../llm-types.js';
import { runProviderStream } from './run-provider-stream.js';

/** A reader for plain strings: each chunk is a text delta; the stream completes when it ends. */
async function* readStrings(chunks: AsyncIterable<string>): AsyncGenerator<LlmStreamEvent> {
  let text = '';
  for await (const chunk of chunks) {
    text += chunk;
    yield { type: 'text_delta', text: chunk };
  }
  yield {
    type: 'completed',
    response: {
      message: { role: 'assistant', content: text },
      tool_calls: [],
      usage: { input_tokens: 1, output_tokens: 1 },
      finish_reason: 'stop',
    },
  };
}

async function* slowly(chunks: string[], delayMs: number, signal: AbortSignal): AsyncGenerator<string> {
  for (const chunk of chunks) {
    await sleep(delayMs, undefined, { signal });
    yield chunk;
  }
}

const toError = () => ({ code: 'upstream_unavailable' as const, message: 'broken', retryable: true });

describe('runProviderStream', () => {
  it('does not count time spent by a slow consumer against the idle timeout', async () => {
    const stream = runProviderStream<string>({
      providerLabel: 'Test',
      idleTimeoutMs: 100,
      open: async (signal) => slowly(['a', 'b', 'c'], 10, signal),
      read: readStrings,
      toError,
    });
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      await sleep(150); // longer than the idle timeout, on our side
    }
    expect(types).toEqual(['text_delta', 'text_delta', 'text_delta', 'completed']);
  });

  it('ends a silent provider with a retryable timeout', async () => {
    const events: LlmStreamEvent[] = [];
    for await (const event of runProviderStream<string>({
      providerLabel: 'Test',
      idleTimeoutMs: 50,
      open: async (signal) => slowly(['a', 'never'], 500, signal),
      read: readStrings,
      toError,
    })) {
      events.push(event);
    }
    expect(events).toEqual([
      { type: 'error', error: { code: 'timeout', message: 'Test sent nothing for 50 ms', retryable: true } },
    ]);
  });

  it('maps a failure to open through toError', async () => {
    const events: LlmStreamEvent[] = [];
    for await (const event of runProviderStream<string>({
      providerLabel: 'Test',
      idleTimeoutMs: 1000,
      open: () => Promise.reject(new Error('boom')),
      read: readStrings,
      toError,
    })) {
      events.push(event);
    }
    expect(events).toEqual([{ type: 'error', error: toError() }]);
  });
});
