/**
 * The proxy's Prometheus counters: calls by route and outcome, tokens and cost by model, with the
 * model label only from calls the provider ran (a caller's made-up model name never becomes one).
 */
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProxyMetrics } from '../../src/proxy/index.js';
import { anthropicJson, failWith, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { postJson, readLlmEvents, startProxy, type ProxyHarness } from './support/start-proxy.js';

const notFound = { type: 'error', error: { type: 'not_found_error', message: 'model: made-up-model' } };

describe('proxy metrics', () => {
  let provider: FakeProvider;
  let proxy: ProxyHarness;
  let registry: Registry;
  beforeEach(async () => {
    provider = await startFakeProvider();
    registry = new Registry();
    proxy = await startProxy({ upstreamUrl: provider.url, deps: { metrics: createProxyMetrics(registry) } });
  });
  afterEach(async () => {
    await proxy.close();
    await provider.close();
  });

  it('counts calls, tokens and cost per model, and only models the provider ran', async () => {
    const headers = { 'x-api-key': proxy.mint() };
    const native = {
      model: 'claude-sonnet-4-6',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }],
    };
    expect((await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, headers)).status).toBe(200);
    const events = await readLlmEvents(
      await postJson(
        `${proxy.url}/proxy/anthropic/stream`,
        { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] },
        headers,
      ),
    );
    expect(events.at(-1)?.type).toBe('completed');
    provider.enqueue(failWith(404, notFound));
    const madeUp = { ...native, model: 'made-up-model' };
    expect((await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, madeUp, headers)).status).toBe(404);
    // Refused before any call: not a model call, not counted.
    expect((await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, {})).status).toBe(401);

    await expect.poll(async () => (await registry.metrics()).includes('route="stream"')).toBe(true);
    const text = await registry.metrics();
    const value = (line: string) =>
      Number(
        text
          .split('\n')
          .find((row) => row.startsWith(`${line} `))
          ?.split(' ')[1],
      );
    expect(value('loom_proxy_calls_total{provider="anthropic",route="anthropic_messages",status="ok"}')).toBe(
      1,
    );
    expect(
      value('loom_proxy_calls_total{provider="anthropic",route="anthropic_messages",status="error"}'),
    ).toBe(1);
    expect(value('loom_proxy_calls_total{provider="anthropic",route="stream",status="ok"}')).toBe(1);
    // 12 + 5 tokens from the plain answer; the stream's fake usage is 25 + 3.
    const input = value(
      'loom_proxy_tokens_total{provider="anthropic",model="claude-sonnet-4-6",direction="input"}',
    );
    const output = value(
      'loom_proxy_tokens_total{provider="anthropic",model="claude-sonnet-4-6",direction="output"}',
    );
    expect(input).toBeGreaterThan(12);
    expect(output).toBeGreaterThan(5);
    // claude-sonnet-4-6: $3 / $15 per million tokens.
    expect(value('loom_proxy_cost_usd_total{provider="anthropic",model="claude-sonnet-4-6"}')).toBeCloseTo(
      (input * 3 + output * 15) / 1e6,
      12,
    );
    expect(text).not.toContain('made-up-model');
    // No call read or wrote the prompt cache: nothing counted.
    expect(text).not.toContain('loom_proxy_cache_tokens_total{');
  });

  it('counts the input read from and written to the prompt cache', async () => {
    provider.enqueue(anthropicJson({ inputTokens: 100, cacheReadTokens: 800, cacheWriteTokens: 50 }));
    const native = {
      model: 'claude-sonnet-4-6',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }],
    };
    const answer = await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, {
      'x-api-key': proxy.mint(),
    });
    expect(answer.status).toBe(200);
    const model = 'provider="anthropic",model="claude-sonnet-4-6"';
    await expect
      .poll(async () =>
        (await registry.metrics()).includes(`loom_proxy_cache_tokens_total{${model},kind="read"} 800`),
      )
      .toBe(true);
    const text = await registry.metrics();
    expect(text).toContain(`loom_proxy_cache_tokens_total{${model},kind="write"} 50`);
    expect(text).toContain(`loom_proxy_tokens_total{${model},direction="input"} 950`);
  });
});
