/** `/proxy/{provider}/stream` and `/complete`: Loom's normalized format on both providers. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryUsageLedger } from '../../src/proxy/index.js';
import { anthropicToolCallStream } from './support/anthropic-tool-call-stream.js';
import { anthropicStream, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { waitFor } from '../queue/support/wait-for.js';
import { postJson, readLlmEvents, startProxy, type ProxyHarness } from './support/start-proxy.js';

const request = {
  model: 'default',
  system: 'You are terse.',
  messages: [{ role: 'user', content: 'Say hello' }],
  max_tokens: 100,
};

describe('normalized proxy routes', () => {
  let provider: FakeProvider;
  let proxy: ProxyHarness;
  let token: string;
  beforeEach(async () => {
    provider = await startFakeProvider();
    proxy = await startProxy({ upstreamUrl: provider.url });
    token = proxy.mint({ subject: 'worker', role: 'job', jobId: 'job-1' });
  });
  afterEach(async () => {
    await proxy.close();
    await provider.close();
  });

  it('streams Anthropic as llm events: text deltas, then completed with usage', async () => {
    const response = await postJson(`${proxy.url}/proxy/anthropic/stream`, request, {
      authorization: `Bearer ${token}`,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readLlmEvents(response);
    expect(events.filter((event) => event.type === 'text_delta').map((event) => event.text)).toEqual([
      'Hello',
      ' from',
      ' Anthropic',
    ]);
    expect(events.at(-1)).toEqual({
      type: 'completed',
      response: {
        message: { role: 'assistant', content: 'Hello from Anthropic' },
        tool_calls: [],
        usage: { input_tokens: 12, output_tokens: 5 },
        finish_reason: 'stop',
      },
      // claude-sonnet-4-6 at $3 / $15 per million tokens, as metered.
      cost_usd: (12 * 3 + 5 * 15) / 1_000_000,
    });
    const sent = provider.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.body).toMatchObject({
      model: 'claude-sonnet-4-6',
      system: 'You are terse.',
      stream: true,
      max_tokens: 100,
    });
    expect((proxy.usage as MemoryUsageLedger).events[0]).toMatchObject({
      route: 'stream',
      jobId: 'job-1',
      outputTokens: 5,
    });
  });

  it("ends the stream with the call's cost as metered: the server's prices, default resolved", async () => {
    await proxy.close();
    proxy = await startProxy({
      upstreamUrl: provider.url,
      deps: {
        prices: { 'claude-sonnet-4-6': { inputUsdPerMillionTokens: 1000, outputUsdPerMillionTokens: 2000 } },
      },
    });
    const response = await postJson(`${proxy.url}/proxy/anthropic/stream`, request, {
      authorization: `Bearer ${proxy.mint()}`,
    });
    const completed = (await readLlmEvents(response)).at(-1);
    const expected = (12 * 1000 + 5 * 2000) / 1_000_000;
    expect(completed).toMatchObject({ type: 'completed', cost_usd: expected });
    await waitFor(() => (proxy.usage as MemoryUsageLedger).events[0], { what: 'the metered call' });
    expect((proxy.usage as MemoryUsageLedger).events[0]?.costUsd).toBe(expected);
    // OpenAI sends its usage in a chunk of its own after the last delta: still counted.
    const openAi = await postJson(`${proxy.url}/proxy/openai/stream`, request, {
      authorization: `Bearer ${proxy.mint()}`,
    });
    const openAiCompleted = (await readLlmEvents(openAi)).at(-1) as { cost_usd?: number };
    const metered = await waitFor(() => (proxy.usage as MemoryUsageLedger).events[1], {
      what: 'the metered OpenAI call',
    });
    expect(metered.costUsd).toBeGreaterThan(0);
    expect(openAiCompleted.cost_usd).toBe(metered.costUsd);
  });

  it('streams tool calls as tool_call_delta events and a completed tool_use answer', async () => {
    provider.enqueue(anthropicToolCallStream());
    const tools = [
      {
        name: 'read_file',
        description: 'Read a file',
        input_schema: { type: 'object', properties: { path: { type: 'string' } } },
      },
    ];
    const response = await postJson(
      `${proxy.url}/proxy/anthropic/stream`,
      { ...request, tools },
      { authorization: `Bearer ${token}` },
    );
    const events = await readLlmEvents(response);
    expect(events.filter((event) => event.type === 'tool_call_delta')).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({
      type: 'completed',
      response: {
        tool_calls: [{ id: 'toolu_01', name: 'read_file', arguments: { path: 'README.md' } }],
        finish_reason: 'tool_use',
      },
    });
  });

  it('answers /complete with one JSON response, on OpenAI too', async () => {
    const response = await postJson(`${proxy.url}/proxy/openai/complete`, request, { 'x-api-key': token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      message: { role: 'assistant', content: 'Hello from OpenAI' },
      tool_calls: [],
      usage: { input_tokens: 9, output_tokens: 4 },
      finish_reason: 'stop',
    });
    expect(provider.requests[0]).toMatchObject({ path: '/v1/chat/completions' });
    expect(provider.requests[0]?.body).toMatchObject({
      model: 'gpt-4.1',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('reuses one provider connection for call after call, streamed or not', async () => {
    for (const route of ['complete', 'stream', 'complete', 'stream']) {
      const response = await postJson(`${proxy.url}/proxy/anthropic/${route}`, request, {
        'x-api-key': token,
      });
      expect(response.status).toBe(200);
      await response.text();
      // The rest of the provider's body is read once the client has its answer.
      await provider.requests.at(-1)!.closed;
    }
    expect(provider.requests).toHaveLength(4);
    expect(provider.connections).toBe(1);
  });

  it('keeps the provider connection when the end of its body comes after the final event', async () => {
    // The last event, then the body's end 30 ms later, in its own write: the answer must not wait
    // for it, and the connection must not be cut for it.
    for (const route of ['complete', 'stream', 'complete']) {
      provider.enqueue(anthropicStream({ delayMs: 30 }));
      const response = await postJson(`${proxy.url}/proxy/anthropic/${route}`, request, {
        'x-api-key': token,
      });
      expect(response.status).toBe(200);
      await response.text();
      await provider.requests.at(-1)!.closed;
      expect(provider.requests.at(-1)!.closedEarly).toBe(false);
    }
    expect(provider.connections).toBe(1);
  });

  it('answers at once when the provider keeps its stream open after the last event, then cuts it', async () => {
    // Nine events in the default answer: all sent, then the body never ends.
    provider.enqueue(anthropicStream({ stopAfter: { events: 9, how: 'stall' } }));
    const started = Date.now();
    const response = await postJson(`${proxy.url}/proxy/anthropic/complete`, request, { 'x-api-key': token });
    expect(await response.json()).toMatchObject({ message: { content: 'Hello from Anthropic' } });
    expect(Date.now() - started).toBeLessThan(900);
    await provider.requests[0]!.closed;
    expect(provider.requests[0]!.closedEarly).toBe(true);
  });

  it('refuses an invalid body with 400 and sends nothing upstream', async () => {
    for (const body of [{ model: 'x' }, { messages: [{ role: 'system', content: 'x' }] }]) {
      const response = await postJson(`${proxy.url}/proxy/anthropic/stream`, body, { 'x-api-key': token });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    }
    const broken = await fetch(`${proxy.url}/proxy/anthropic/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': token },
      body: '{"model": ',
    });
    expect(broken.status).toBe(400);
    expect(provider.requests).toHaveLength(0);
  });

  it('answers 503 for a provider the server has no key for', async () => {
    await proxy.close();
    proxy = await startProxy({
      upstreamUrl: provider.url,
      deps: {
        upstream: {
          anthropic: { apiKey: undefined, baseUrl: undefined },
          openai: { apiKey: undefined, baseUrl: undefined },
        },
      },
    });
    const response = await postJson(`${proxy.url}/proxy/anthropic/complete`, request, {
      'x-api-key': proxy.mint(),
    });
    expect(response.status).toBe(503);
    expect(provider.requests).toHaveLength(0);
  });

  it('applies the per-subject rate limit with 429 and retry-after', async () => {
    await proxy.close();
    const { createTokenBucketRateLimiter } = await import('../../src/proxy/index.js');
    proxy = await startProxy({
      upstreamUrl: provider.url,
      deps: { rateLimiter: createTokenBucketRateLimiter({ capacity: 2, refillPerSecond: 0.1 }) },
    });
    const alice = proxy.mint({ subject: 'alice' });
    const statuses = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await postJson(`${proxy.url}/proxy/anthropic/complete`, request, {
        'x-api-key': alice,
      });
      statuses.push(response.status);
      if (response.status === 429)
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses).toEqual([200, 200, 429]);
    const bob = await postJson(`${proxy.url}/proxy/anthropic/complete`, request, {
      'x-api-key': proxy.mint({ subject: 'bob' }),
    });
    expect(bob.status).toBe(200);
    expect(provider.requests).toHaveLength(3);
  });
});
