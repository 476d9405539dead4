/**
 * RELIABILITY 37/38, proxy side: retries only before the first byte, retry-after honoured or handed
 * back, spend limits not retried, streams cut on silence, upstream aborted when the client leaves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryUsageLedger } from '../../src/proxy/index.js';
import {
  anthropicJson,
  anthropicKey,
  anthropicStream,
  failWith,
  neverAnswer,
  normalAnswer,
  openAiJson,
  openAiKey,
  startFakeProvider,
  type FakeProvider,
  type Responder,
} from './support/fake-provider.js';
import { postJson, readLlmEvents, startProxy, type ProxyHarness } from './support/start-proxy.js';

const normalized = { model: 'default', messages: [{ role: 'user', content: 'hello' }] };
const native = { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] };
const rateLimited = {
  type: 'error',
  error: {
    type: 'rate_limit_error',
    message: 'Number of request tokens has exceeded your per-minute rate limit',
  },
};
const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };

describe('proxy upstream faults', () => {
  let provider: FakeProvider;
  let proxy: ProxyHarness;
  let headers: Record<string, string>;
  beforeEach(async () => {
    provider = await startFakeProvider();
    proxy = await startProxy({
      upstreamUrl: provider.url,
      deps: { timeouts: { firstByteMs: 400, idleMs: 300, answerMs: 1500 } },
    });
    headers = { 'x-api-key': proxy.mint() };
  });
  afterEach(async () => {
    await proxy.close();
    await provider.close();
  });

  it('retries a 429 before the first byte, honouring retry-after, and then streams', async () => {
    provider.enqueue(failWith(429, rateLimited, { 'retry-after': '1' }));
    const started = Date.now();
    const response = await postJson(`${proxy.url}/proxy/anthropic/stream`, normalized, headers);
    const events = await readLlmEvents(response);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(events.at(-1)?.type).toBe('completed');
    expect(provider.requests).toHaveLength(2);
    expect(proxy.logLines.join('')).toContain('retrying the provider before the first byte');
  });

  it('hands a retry-after longer than the maximum wait straight back as 429 with the header', async () => {
    provider.enqueue(failWith(429, rateLimited, { 'retry-after': '20' }));
    const started = Date.now();
    const response = await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, headers);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('20');
    expect(provider.requests).toHaveLength(1);
    const normalizedResponse = await postJson(`${proxy.url}/proxy/anthropic/complete`, normalized, headers);
    expect(normalizedResponse.status).toBe(200);
    provider.enqueue(failWith(429, rateLimited, { 'retry-after': '20' }));
    const refused = await postJson(`${proxy.url}/proxy/anthropic/stream`, normalized, headers);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    const body = (await refused.json()) as {
      error: { code: string; retryable: boolean; details: { retry_after_ms: number } };
    };
    expect(body.error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      details: { retry_after_ms: 20_000 },
    });
  });

  it('retries 529 and 5xx a bounded number of times', async () => {
    provider.enqueue(failWith(529, overloaded), failWith(503, overloaded));
    const ok = await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, headers);
    expect(ok.status).toBe(200);
    expect(provider.requests).toHaveLength(3);
    provider.enqueue(
      failWith(529, overloaded),
      failWith(529, overloaded),
      failWith(529, overloaded),
      failWith(529, overloaded),
    );
    const exhausted = await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, headers);
    expect(exhausted.status).toBe(529);
    expect(provider.requests).toHaveLength(6);
  });

  it('does not retry a spend-limit 429 (insufficient_quota) and marks it not retryable', async () => {
    const quota = {
      error: {
        message: 'You exceeded your current quota',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      },
    };
    provider.enqueue(failWith(429, quota));
    const response = await postJson(`${proxy.url}/proxy/openai/complete`, normalized, headers);
    expect(response.status).toBe(429);
    expect(((await response.json()) as { error: { retryable: boolean } }).error.retryable).toBe(false);
    expect(provider.requests).toHaveLength(1);
    provider.enqueue(failWith(429, quota));
    const nativeResponse = await postJson(
      `${proxy.url}/proxy/openai/v1/chat/completions`,
      { model: 'gpt-4.1', messages: [] },
      headers,
    );
    expect(nativeResponse.status).toBe(429);
    expect(provider.requests).toHaveLength(2);
  });

  it('does not retry once the first byte went out: a stream cut mid-way ends with an error event', async () => {
    provider.enqueue(
      anthropicStream({ texts: ['partial', ' answer'], delayMs: 30, stopAfter: { events: 4, how: 'cut' } }),
    );
    const response = await postJson(`${proxy.url}/proxy/anthropic/stream`, normalized, headers);
    const events = await readLlmEvents(response);
    expect(
      events.map((event) => event.type),
      JSON.stringify(events),
    ).toEqual(['text_delta', 'error']);
    expect(events.at(-1)).toMatchObject({ error: { code: 'upstream_unavailable', retryable: true } });
    expect(provider.requests).toHaveLength(1);
    expect((proxy.usage as MemoryUsageLedger).events[0]).toMatchObject({ status: 'error', inputTokens: 12 });
  });

  it('cuts a stalled stream after the idle timeout with an error event', async () => {
    provider.enqueue(anthropicStream({ stopAfter: { events: 4, how: 'stall' } }));
    const started = Date.now();
    const events = await readLlmEvents(
      await postJson(`${proxy.url}/proxy/anthropic/stream`, normalized, headers),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'timeout', retryable: true } });
    expect(Date.now() - started).toBeLessThan(3000);
    await provider.requests[0]?.closed;
    expect(provider.requests[0]?.closedEarly).toBe(true);
  });

  it('cuts a stalled native stream with an error event in the provider format', async () => {
    provider.enqueue(anthropicStream({ stopAfter: { events: 3, how: 'stall' } }));
    const response = await postJson(
      `${proxy.url}/proxy/anthropic/v1/messages`,
      { ...native, stream: true },
      headers,
    );
    const text = await response.text();
    expect(text).toContain('event: message_start');
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
    await expect
      .poll(() => (proxy.usage as MemoryUsageLedger).events[0])
      .toMatchObject({ status: 'error', errorCode: 'timeout', inputTokens: 12 });
  });

  it('answers 504 when a non-streamed native answer stalls before any of it went out', async () => {
    provider.enqueue((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":"msg_1","type":"message","content":[{"type":"te');
    });
    const response = await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, headers);
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ error: { code: 'timeout', retryable: true } });
    await provider.requests[0]?.closed;
    expect(provider.requests[0]?.closedEarly).toBe(true);
    await expect
      .poll(() => (proxy.usage as MemoryUsageLedger).events[0])
      .toMatchObject({ status: 'error', errorCode: 'timeout' });
  });

  it('cuts the connection when a non-streamed native answer stalls after part of it went out', async () => {
    provider.enqueue(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(`{"id":"msg_1","type":"message","content":[{"type":"text","text":"${'a'.repeat(1000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      response.write('b'.repeat(1000));
    });
    const response = await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, headers);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    await expect
      .poll(() => (proxy.usage as MemoryUsageLedger).events[0])
      .toMatchObject({ status: 'error', errorCode: 'timeout' });
  });

  it('retries an upstream that never sends headers, then answers 504', async () => {
    provider.enqueue(neverAnswer(), neverAnswer(), neverAnswer());
    const response = await postJson(`${proxy.url}/proxy/anthropic/complete`, normalized, headers);
    expect(response.status).toBe(504);
    expect(provider.requests).toHaveLength(3);
  });

  it('waits past the first-byte timeout for a non-streamed answer, which a provider sends whole', async () => {
    // A provider sends a non-streamed answer's headers only once the whole answer is generated.
    const slowly =
      (responder: Responder): Responder =>
      async (request, response) => {
        await new Promise((resolve) => setTimeout(resolve, 700));
        await responder(request, response);
      };
    provider.enqueue(slowly(anthropicJson({ texts: ['a long answer'] })));
    const anthropic = await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, headers);
    expect(anthropic.status).toBe(200);
    expect(await anthropic.json()).toMatchObject({ content: [{ type: 'text', text: 'a long answer' }] });
    provider.enqueue(slowly(openAiJson({ texts: ['another long answer'] })));
    const openAi = await postJson(
      `${proxy.url}/proxy/openai/v1/chat/completions`,
      { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }] },
      headers,
    );
    expect(openAi.status).toBe(200);
    expect(provider.requests).toHaveLength(2);
  });

  it('gives a non-streamed answer up after the answer timeout without sending the call again', async () => {
    // Sending it again would pay for a second generation while the first may still be running.
    provider.enqueue(neverAnswer(), neverAnswer(), neverAnswer());
    const started = Date.now();
    const response = await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, headers);
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({
      error: { code: 'timeout', message: 'the provider sent no response within 1500 ms' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(provider.requests).toHaveLength(1);
    await provider.requests[0]?.closed;
    expect(provider.requests[0]?.closedEarly).toBe(true);
    await expect
      .poll(() => (proxy.usage as MemoryUsageLedger).events[0])
      .toMatchObject({ status: 'error', errorCode: 'timeout' });
  });

  it('aborts the upstream request when the client disconnects', async () => {
    provider.enqueue(
      normalAnswer({ texts: Array.from({ length: 50 }, (_, index) => `word${index} `), delayMs: 50 }),
    );
    const response = await postJson(`${proxy.url}/proxy/anthropic/stream`, normalized, headers);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await provider.requests[0]?.closed;
    expect(provider.requests[0]?.closedEarly).toBe(true);
    await expect.poll(() => (proxy.usage as MemoryUsageLedger).events[0]?.status).toBe('cancelled');
  });

  it('aborts a native upstream stream when the client disconnects', async () => {
    provider.enqueue(anthropicStream({ texts: Array.from({ length: 50 }, () => 'x'), delayMs: 50 }));
    const response = await postJson(
      `${proxy.url}/proxy/anthropic/v1/messages`,
      { ...native, stream: true },
      headers,
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await provider.requests[0]?.closed;
    expect(provider.requests[0]?.closedEarly).toBe(true);
    await expect.poll(() => (proxy.usage as MemoryUsageLedger).events[0]?.status).toBe('cancelled');
  });

  it('never returns the provider key, even when the provider echoes it in an error', async () => {
    const echo = {
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: `bad key ${anthropicKey} or ...${anthropicKey.slice(-8)}`,
      },
    };
    provider.enqueue(failWith(400, echo), failWith(400, echo));
    const nativeResponse = await postJson(`${proxy.url}/proxy/anthropic/v1/messages`, native, headers);
    const normalizedResponse = await postJson(`${proxy.url}/proxy/anthropic/complete`, normalized, headers);
    for (const response of [nativeResponse, normalizedResponse]) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      const text = await response.text();
      expect(text).toContain('[redacted]');
      for (const secret of [anthropicKey, anthropicKey.slice(-8), openAiKey]) {
        expect(text).not.toContain(secret);
        for (const [, value] of response.headers) expect(value).not.toContain(secret);
      }
    }
    expect(proxy.logLines.join('')).not.toContain(anthropicKey.slice(-8));
  });
});
