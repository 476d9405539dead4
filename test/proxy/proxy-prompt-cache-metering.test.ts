/**
 * Prompt caching as the providers bill it: an Anthropic call that reads most of its prompt from the
 * cache costs a fraction of one that does not. Metering (and the cost a stream reports) must price
 * cached tokens apart, or a cached agent loop is charged up to ten times what it cost, and its
 * budget stops it early.
 */
import { describe, expect, it } from 'vitest';
import type { MemoryUsageLedger } from '../../src/proxy/index.js';
import { waitFor } from '../queue/support/wait-for.js';
import { anthropicJson, anthropicStream } from './support/fake-provider.js';
import { useProviderAndProxy } from './support/provider-and-proxy.js';
import { postJson, readLlmEvents } from './support/start-proxy.js';

// claude-sonnet-4-6: $3 input, $0.30 cache read, $3.75 cache write (five minutes), $6 cache write
// (one hour), $15 output, per million tokens.
const cached = { inputTokens: 1000, cacheReadTokens: 8000, cacheWriteTokens: 1000, outputTokens: 100 };
const expectedCost = (1000 * 3 + 8000 * 0.3 + 1000 * 3.75 + 100 * 15) / 1_000_000;
const cachedForAnHour = { ...cached, cacheWrite1hTokens: 600 };
const expectedCostForAnHour = (1000 * 3 + 8000 * 0.3 + 400 * 3.75 + 600 * 6 + 100 * 15) / 1_000_000;

/** The normalized stream's last event, as far as these tests read it. */
interface Completed {
  response: { usage: Record<string, number> };
  cost_usd: number;
}

describe('metering of prompt-cached calls', () => {
  const setup = useProviderAndProxy();
  const metered = (index: number) =>
    waitFor(() => (setup.proxy.usage as MemoryUsageLedger).events[index], { what: `metered call ${index}` });

  /** One call through the native Anthropic route; resolves once its answer was read. */
  async function callNative(stream: boolean): Promise<void> {
    const answer = await fetch(`${setup.proxy.url}/proxy/anthropic/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': setup.proxy.mint(),
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 200,
        stream,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(answer.status).toBe(200);
    await answer.text();
  }

  /** One call through the normalized stream route; resolves to its `completed` event. */
  async function streamNormalized(): Promise<Completed> {
    const response = await postJson(
      `${setup.proxy.url}/proxy/anthropic/stream`,
      { model: 'default', messages: [{ role: 'user', content: 'hi' }] },
      { authorization: `Bearer ${setup.proxy.mint()}` },
    );
    return (await readLlmEvents(response)).at(-1) as unknown as Completed;
  }

  it('prices cache reads and writes of a native call at their own rates', async () => {
    setup.provider.enqueue(anthropicJson(cached));
    await callNative(false);
    const event = await metered(0);
    expect(event).toMatchObject({ inputTokens: 10_000, cacheReadTokens: 8000, cacheWriteTokens: 1000 });
    expect(event.costUsd).toBeCloseTo(expectedCost, 12);
  });

  it('prices writes to the one-hour cache at twice the input price, streamed or not', async () => {
    setup.provider.enqueue(anthropicJson(cachedForAnHour));
    setup.provider.enqueue(anthropicStream(cachedForAnHour));
    await callNative(false);
    await callNative(true);
    for (const index of [0, 1]) {
      const event = await metered(index);
      expect(event.inputTokens).toBe(10_000);
      expect(event.costUsd).toBeCloseTo(expectedCostForAnHour, 12);
    }
  });

  it('names the cached input in a normalized answer, and reports and meters the same cost', async () => {
    setup.provider.enqueue(anthropicStream(cached));
    const completed = await streamNormalized();
    expect(completed.response.usage).toEqual({
      input_tokens: 10_000,
      output_tokens: 100,
      cache_read_input_tokens: 8000,
      cache_creation_input_tokens: 1000,
    });
    expect(completed.cost_usd).toBeCloseTo(expectedCost, 12);
    expect((await metered(0)).costUsd).toBe(completed.cost_usd);
  });

  it('names the one-hour cache writes in a normalized answer and prices them', async () => {
    setup.provider.enqueue(anthropicStream(cachedForAnHour));
    const completed = await streamNormalized();
    expect(completed.response.usage).toMatchObject({
      cache_creation_input_tokens: 1000,
      cache_creation_1h_input_tokens: 600,
    });
    expect(completed.cost_usd).toBeCloseTo(expectedCostForAnHour, 12);
    expect((await metered(0)).costUsd).toBe(completed.cost_usd);
  });
});
