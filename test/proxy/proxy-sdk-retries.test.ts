/**
 * The official SDKs retry 408/409/429/5xx twice on their own unless the answer carries
 * `x-should-retry`. Pointed at Loom, which has already retried the provider, they must not multiply
 * its attempts (3 × 3), resend a spend-limit refusal, or resend a non-streamed call that timed out
 * while the provider may still be generating it. The SDKs here keep their default retries.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenBucketRateLimiter } from '../../src/proxy/index.js';
import { failWith, neverAnswer, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { startProxy, type ProxyHarness, type StartProxyOptions } from './support/start-proxy.js';

let provider: FakeProvider | undefined;
let proxy: ProxyHarness | undefined;
afterEach(async () => {
  await proxy?.close();
  await provider?.close();
  proxy = undefined;
  provider = undefined;
});

async function start(options: Omit<StartProxyOptions, 'upstreamUrl'> = {}): Promise<ProxyHarness> {
  provider = await startFakeProvider();
  proxy = await startProxy({ upstreamUrl: provider.url, ...options });
  return proxy;
}

/** The Anthropic SDK pointed at Loom with its default retries, its requests counted. */
function countedAnthropic(harness: ProxyHarness): {
  client: Anthropic;
  counted: ReturnType<typeof countingFetch>;
} {
  const counted = countingFetch();
  const client = new Anthropic({
    baseURL: `${harness.url}/proxy/anthropic`,
    apiKey: harness.mint(),
    fetch: counted.fetch,
    logLevel: 'off',
  });
  return { client, counted };
}

/** The SDK's requests to Loom, counted at its own `fetch`. */
function countingFetch(): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  return {
    fetch: (input, init) => {
      calls += 1;
      return fetch(input, init);
    },
    calls: () => calls,
  };
}

const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
const ask = {
  model: 'claude-sonnet-4-6',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

describe("the official SDKs' own retries against Loom's", () => {
  it('an overloaded provider gets Loom’s three attempts, not three per SDK attempt', async () => {
    const harness = await start();
    const { client, counted } = countedAnthropic(harness);
    provider?.enqueue(...Array.from({ length: 9 }, () => failWith(529, overloaded)));
    const failure = await client.messages.create(ask).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((failure as InstanceType<typeof Anthropic.APIError>).headers?.get('x-should-retry')).toBe('false');
    expect(counted.calls()).toBe(1);
    expect(provider?.requests).toHaveLength(3);
  });

  it('a spend limit reaches the provider once', async () => {
    const harness = await start();
    const counted = countingFetch();
    const client = new OpenAI({
      baseURL: `${harness.url}/proxy/openai/v1`,
      apiKey: harness.mint(),
      fetch: counted.fetch,
    });
    const quota = {
      error: {
        message: 'You exceeded your current quota',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      },
    };
    provider?.enqueue(failWith(429, quota), failWith(429, quota), failWith(429, quota));
    const failure = await client.chat.completions
      .create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect(counted.calls()).toBe(1);
    expect(provider?.requests).toHaveLength(1);
  });

  it('a non-streamed call that timed out is not sent again, by Loom or by the SDK', async () => {
    const harness = await start({ deps: { timeouts: { firstByteMs: 5_000, answerMs: 300, idleMs: 5_000 } } });
    const { client, counted } = countedAnthropic(harness);
    provider?.enqueue(neverAnswer(), neverAnswer(), neverAnswer());
    const failure = await client.messages.create(ask).catch((error: unknown) => error);
    expect((failure as InstanceType<typeof Anthropic.APIError>).status).toBe(504);
    expect(counted.calls()).toBe(1);
    expect(provider?.requests).toHaveLength(1);
  });

  it('a provider that is not configured is refused once, as not worth retrying', async () => {
    const harness = await start({
      deps: {
        upstream: {
          anthropic: { apiKey: undefined, baseUrl: undefined },
          openai: { apiKey: undefined, baseUrl: undefined },
        },
      },
    });
    const { client, counted } = countedAnthropic(harness);
    const failure = await client.messages.create(ask).catch((error: unknown) => error);
    expect((failure as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { code: 'dependency_unavailable', retryable: false },
    });
    expect(counted.calls()).toBe(1);
  });

  it("leaves Loom's own passing refusals, and a provider's long retry-after, to the SDK", async () => {
    const harness = await start({
      deps: { rateLimiter: createTokenBucketRateLimiter({ capacity: 1, refillPerSecond: 0.5 }) },
    });
    const token = harness.mint();
    const call = () =>
      fetch(`${harness.url}/proxy/anthropic/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': token,
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify(ask),
      });
    provider?.enqueue(
      failWith(429, { type: 'error', error: { type: 'rate_limit_error' } }, { 'retry-after': '20' }),
    );
    const waitLong = await call();
    expect(waitLong.status).toBe(429);
    expect(waitLong.headers.get('retry-after')).toBe('20');
    expect(waitLong.headers.get('x-should-retry')).toBeNull();
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited', retryable: true } });
    expect(limited.headers.get('x-should-retry')).toBe('true');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
