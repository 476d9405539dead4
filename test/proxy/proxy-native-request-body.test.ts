/**
 * The native routes read the caller's bytes themselves (no express body parser): compressed bodies,
 * bodies over the limit, broken JSON, and a client that reads slower than the provider writes. Each
 * is tried both ways the routes are served: before express (as `loom start` does) and through the
 * express router.
 */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryUsageLedger } from '../../src/proxy/index.js';
import { anthropicStream, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { startProxy, type ProxyHarness } from './support/start-proxy.js';

const messagesPath = '/proxy/anthropic/v1/messages';
const question = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

describe.each(['direct', 'express'] as const)('native request bodies, served %s', (via) => {
  let provider: FakeProvider;
  let proxy: ProxyHarness;
  let token: string;
  beforeEach(async () => {
    provider = await startFakeProvider();
    proxy = await startProxy({ upstreamUrl: provider.url, via });
    token = proxy.mint();
  });
  afterEach(async () => {
    await proxy.close();
    await provider.close();
  });

  const post = (body: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(`${proxy.url}${messagesPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': token, ...headers },
      body,
    });

  it('forwards a gzip-compressed body inflated, and meters the call', async () => {
    const response = await post(gzipSync(JSON.stringify(question)), { 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'message', usage: { input_tokens: 12 } });
    expect(provider.requests[0]?.body).toEqual(question);
    expect(provider.requests[0]?.headers['content-encoding']).toBeUndefined();
    expect((proxy.usage as MemoryUsageLedger).events).toHaveLength(1);
  });

  it('refuses an unknown content-encoding with 400, sending nothing upstream', async () => {
    const response = await post(JSON.stringify(question), { 'content-encoding': 'zstd-ish' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_input' } });
    expect(provider.requests).toHaveLength(0);
  });

  it('refuses broken JSON and a JSON array with 400 invalid_input', async () => {
    for (const body of ['{"model": ', '[1, 2]']) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
    expect(provider.requests).toHaveLength(0);
  });

  it("reads the normalized routes' bodies the same way: gzip accepted, broken JSON refused", async () => {
    const normalized = { model: 'default', messages: [{ role: 'user', content: 'Hi' }] };
    const complete = `${proxy.url}/proxy/anthropic/complete`;
    const headers = { 'content-type': 'application/json', 'x-api-key': token };
    const zipped = await fetch(complete, {
      method: 'POST',
      headers: { ...headers, 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(normalized)),
    });
    expect(zipped.status).toBe(200);
    expect(await zipped.json()).toMatchObject({ message: { role: 'assistant' }, finish_reason: 'stop' });
    const broken = await fetch(complete, { method: 'POST', headers, body: '{"model": ' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'invalid_input' } });
    expect(provider.requests).toHaveLength(1);
  });

  it('refuses a body declared over 32 MiB with 413 before reading it', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`${proxy.url}${messagesPath}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': token,
          'content-length': String(33 * 1024 * 1024),
        },
      });
      request.on('response', (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body });
          request.destroy();
        });
      });
      request.on('error', reject);
      request.write('{"model": "claude-sonnet-4-6", "messages": [');
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(provider.requests).toHaveLength(0);
  });

  it('holds the provider back while the client is not reading, then relays the whole stream in order', async () => {
    // 16 MiB of events: more than the kernel buffers between three processes' sockets, so only a
    // relay that pauses the provider's body keeps the provider waiting.
    const texts = Array.from(
      { length: 1600 },
      (_, index) => `${String(index).padStart(4, '0')}${'x'.repeat(10_000)}`,
    );
    provider.enqueue(anthropicStream({ texts }));
    const response = await post(JSON.stringify({ ...question, stream: true }));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    const providerDone = provider.requests[0]!.closed.then(() => 'provider finished');
    const stillWaiting = new Promise((resolve) => setTimeout(() => resolve('provider waiting'), 500));
    expect(await Promise.race([providerDone, stillWaiting])).toBe('provider waiting');
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const order = [...text.matchAll(/"text":"(\d{4})x/g)].map((match) => Number(match[1]));
    expect(order).toEqual(texts.map((_, index) => index));
    expect(text).toContain('message_stop');
    await expect.poll(() => (proxy.usage as MemoryUsageLedger).events.length).toBe(1);
    expect((proxy.usage as MemoryUsageLedger).events[0]).toMatchObject({ status: 'ok', outputTokens: 5 });
  });
});
