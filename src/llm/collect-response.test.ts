import { describe, expect, it } from 'vitest';
import { isLoomError, type LoomError } from '../errors/index.js';
import { collectResponse } from './collect-response.js';
import type { LlmResponse, LlmStreamEvent } from './llm-types.js';

const response: LlmResponse = {
  message: { role: 'assistant', content: 'Hi' },
  tool_calls: [],
  usage: { input_tokens: 3, output_tokens: 1 },
  finish_reason: 'stop',
};

async function* streamOf(events: LlmStreamEvent[]): AsyncGenerator<LlmStreamEvent> {
  yield* events;
}

async function rejection(promise: Promise<unknown>): Promise<LoomError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isLoomError(error)) throw new Error(`expected a LoomError, got ${String(error)}`);
  return error;
}

describe('collectResponse', () => {
  it('returns the completed response after the deltas', async () => {
    await expect(
      collectResponse(
        streamOf([
          { type: 'text_delta', text: 'Hi' },
          { type: 'completed', response },
        ]),
      ),
    ).resolves.toEqual(response);
  });

  it('throws a LoomError carrying code, retryable, status and retry_after_ms of an error event', async () => {
    const error = await rejection(
      collectResponse(
        streamOf([
          {
            type: 'error',
            error: {
              code: 'rate_limited',
              message: 'slow down',
              retryable: true,
              status: 429,
              retry_after_ms: 20_000,
            },
          },
        ]),
      ),
    );
    expect(error.code).toBe('rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('slow down');
    expect(error.details).toEqual({ status: 429, retry_after_ms: 20_000 });
  });

  it('keeps retryable as the event said, even where the default of the code differs', async () => {
    const error = await rejection(
      collectResponse(
        streamOf([
          { type: 'error', error: { code: 'upstream_rejected', message: 'bad JSON', retryable: true } },
        ]),
      ),
    );
    expect(error.retryable).toBe(true);
  });

  it('throws a retryable upstream_unavailable when the stream ends without a result', async () => {
    const error = await rejection(collectResponse(streamOf([{ type: 'text_delta', text: 'Hel' }])));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryable).toBe(true);
  });
});
