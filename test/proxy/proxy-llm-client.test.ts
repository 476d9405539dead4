/** `createProxyLlmClient`: the LlmClient workers (and `loom run` with a server) use, against the real proxy. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/index.js';
import { costOfUsage, type LlmStreamEvent } from '../../src/llm/index.js';
import { createProxyLlmClient } from '../../src/proxy/index.js';
import { failWith, normalAnswer, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { createRecordingToolExecutor } from '../agent/support/recording-tool-executor.js';
import { startProxy, type ProxyHarness } from './support/start-proxy.js';

const request = { model: 'default', messages: [{ role: 'user' as const, content: 'hello' }] };

async function collect(stream: AsyncIterable<LlmStreamEvent>): Promise<LlmStreamEvent[]> {
  const events: LlmStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('createProxyLlmClient', () => {
  let provider: FakeProvider;
  let proxy: ProxyHarness;
  beforeEach(async () => {
    provider = await startFakeProvider();
    proxy = await startProxy({ upstreamUrl: provider.url });
  });
  afterEach(async () => {
    await proxy.close();
    await provider.close();
  });

  it('streams deltas and one completed event, for either base URL form', async () => {
    for (const baseUrl of [proxy.url, `${proxy.url}/proxy/`]) {
      const client = createProxyLlmClient({ baseUrl, token: proxy.mint(), provider: 'openai' });
      expect(client.provider).toBe('proxy');
      const events = await collect(client.stream(request));
      expect(events.filter((event) => event.type === 'text_delta')).toHaveLength(3);
      expect(events.at(-1)).toMatchObject({
        type: 'completed',
        response: { message: { content: 'Hello from OpenAI' } },
      });
    }
  });

  it("has an agent run count what the proxy metered, not its own guess at model 'default'", async () => {
    await proxy.close();
    // A self-hosted model, free per LOOM_MODEL_PRICES on the server, behind model "default".
    proxy = await startProxy({
      upstreamUrl: provider.url,
      deps: {
        defaultModels: { anthropic: 'claude-sonnet-4-6', openai: 'llama3.1:70b' },
        prices: { 'llama3.1:70b': { inputUsdPerMillionTokens: 0, outputUsdPerMillionTokens: 0 } },
      },
    });
    const llm = createProxyLlmClient({ baseUrl: proxy.url, token: proxy.mint(), provider: 'openai' });
    const result = await runAgent({
      llm,
      model: 'default',
      tools: createRecordingToolExecutor({}),
      prompt: 'hello',
      // Priced locally, "default" is an unknown model and costs as the dearest one: over this limit.
      limits: { maxCostUsd: 0.000001 },
      costOf: costOfUsage,
    });
    expect(costOfUsage('default', { input_tokens: 12, output_tokens: 5 })).toBeGreaterThan(0.000001);
    expect(result).toMatchObject({ status: 'done', usage: { cost_usd: 0 } });
  });

  it('turns a refused token into a non-retryable unauthorized error event', async () => {
    const client = createProxyLlmClient({ baseUrl: proxy.url, token: 'bogus', provider: 'anthropic' });
    expect(await collect(client.stream(request))).toEqual([
      {
        type: 'error',
        error: expect.objectContaining({ code: 'unauthorized', retryable: false, status: 401 }),
      },
    ]);
  });

  it("passes the provider's long retry-after on to the agent loop", async () => {
    provider.enqueue(
      failWith(
        429,
        { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
        { 'retry-after': '30' },
      ),
    );
    const client = createProxyLlmClient({ baseUrl: proxy.url, token: proxy.mint(), provider: 'anthropic' });
    const [event] = await collect(client.stream(request));
    expect(event).toMatchObject({
      type: 'error',
      error: { code: 'rate_limited', retryable: true, retry_after_ms: 30_000, status: 429 },
    });
  });

  it('ends with cancelled when the caller aborts, and the upstream request is closed', async () => {
    provider.enqueue(normalAnswer({ texts: Array.from({ length: 40 }, () => 'tick '), delayMs: 40 }));
    const client = createProxyLlmClient({ baseUrl: proxy.url, token: proxy.mint(), provider: 'anthropic' });
    const controller = new AbortController();
    const events: LlmStreamEvent[] = [];
    for await (const event of client.stream(request, { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text_delta') controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
    await provider.requests[0]?.closed;
    expect(provider.requests[0]?.closedEarly).toBe(true);
  });

  it('reports an unreachable proxy as a retryable error', async () => {
    const client = createProxyLlmClient({ baseUrl: 'http://127.0.0.1:9', token: 't', provider: 'anthropic' });
    expect(await collect(client.stream(request))).toEqual([
      { type: 'error', error: expect.objectContaining({ code: 'upstream_unavailable', retryable: true }) },
    ]);
  });
});
