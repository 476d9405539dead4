/**
 * The native pass-through with the official SDKs pointed at Loom: base URL = the proxy, API key = a
 * Loom token. The provider must see the server's key and never the Loom token; the caller must never
 * see the server's key.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryUsageLedger } from '../../src/proxy/index.js';
import {
  anthropicKey,
  anthropicStream,
  failWith,
  openAiKey,
  startFakeProvider,
  type FakeProvider,
} from './support/fake-provider.js';
import { startProxy, type ProxyHarness } from './support/start-proxy.js';

describe('native pass-through with the official SDKs', () => {
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

  const anthropicClient = (token: string, as: 'apiKey' | 'authToken' = 'apiKey') =>
    new Anthropic({ baseURL: `${proxy.url}/proxy/anthropic`, [as]: token, maxRetries: 0, logLevel: 'off' });

  function expectUpstreamSawServerKeyOnly(token: string): void {
    expect(provider.requests.length).toBeGreaterThan(0);
    for (const request of provider.requests) {
      expect(request.headers['x-api-key'] ?? request.headers.authorization).toMatch(/SERVER-SECRET/);
      expect(JSON.stringify(request.headers)).not.toContain(token);
      expect(request.rawBody).not.toContain(token);
    }
  }

  it('answers a plain Anthropic request (x-api-key) and meters it', async () => {
    const token = proxy.mint({ subject: 'alice', jobId: 'job-7' });
    const raw = await anthropicClient(token)
      .messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Say hello' }],
      })
      .withResponse();
    expect(raw.data.content).toEqual([{ type: 'text', text: 'Hello from Anthropic' }]);
    expect(raw.data.usage).toMatchObject({ input_tokens: 12, output_tokens: 5 });
    expectUpstreamSawServerKeyOnly(token);
    // The SDK's own API version passes through (it decides the wire format).
    expect(provider.requests[0]?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [, value] of raw.response.headers) expect(value).not.toContain(anthropicKey);
    const [event] = (proxy.usage as MemoryUsageLedger).events;
    expect(event).toMatchObject({
      subject: 'alice',
      jobId: 'job-7',
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      route: 'anthropic_messages',
      inputTokens: 12,
      outputTokens: 5,
      status: 'ok',
      httpStatus: 200,
    });
    expect(event?.costUsd).toBeCloseTo((12 * 3 + 5 * 15) / 1e6, 12);
  });

  it('streams an Anthropic answer through messages.stream (Authorization: Bearer)', async () => {
    provider.enqueue(
      anthropicStream({ texts: ['One', ' two', ' three'], delayMs: 20, inputTokens: 40, outputTokens: 9 }),
    );
    const token = proxy.mint();
    const stream = anthropicClient(token, 'authToken').messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Count' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas).toEqual(['One', ' two', ' three']);
    expect(message.content).toEqual([{ type: 'text', text: 'One two three' }]);
    expect(provider.requests[0]?.body.stream).toBe(true);
    expectUpstreamSawServerKeyOnly(token);
    expect((proxy.usage as MemoryUsageLedger).events[0]).toMatchObject({
      inputTokens: 40,
      outputTokens: 9,
      status: 'ok',
    });
  });

  it('resolves model "default" on the server', async () => {
    const token = proxy.mint();
    await anthropicClient(token).messages.create({
      model: 'default',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(provider.requests[0]?.body.model).toBe('claude-sonnet-4-6');
  });

  it('counts tokens through messages.countTokens, free of charge and within the allow-list', async () => {
    const token = proxy.mint({ subject: 'alice', models: ['claude-sonnet-4-6'] });
    const counted = await anthropicClient(token).messages.countTokens({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'How many tokens is this?' }],
    });
    expect(counted).toEqual({ input_tokens: 21 });
    expect(provider.requests.map((request) => request.path)).toEqual(['/v1/messages/count_tokens']);
    expect(provider.requests[0]?.body).toMatchObject({ model: 'claude-sonnet-4-6' });
    expectUpstreamSawServerKeyOnly(token);
    const [event] = (proxy.usage as MemoryUsageLedger).events;
    expect(event).toMatchObject({
      subject: 'alice',
      route: 'anthropic_count_tokens',
      model: 'claude-sonnet-4-6',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      status: 'ok',
    });
    await expect(
      anthropicClient(token).messages.countTokens({
        model: 'claude-opus-4-8',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.PermissionDeniedError);
    await expect(
      anthropicClient('forged.token.value').messages.countTokens({
        model: 'claude-sonnet-4-6',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    // An endpoint the proxy does not pass on is not found, and reaches nobody.
    await expect(anthropicClient(token).beta.files.list()).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    expect(provider.requests).toHaveLength(1);
  });

  it("lists the provider's models this token may use, fetched with the server's key", async () => {
    const token = proxy.mint({ models: ['claude-sonnet-*', 'openai/gpt-4.1'] });
    const anthropicPage = await anthropicClient(token).models.list({ limit: 3 });
    expect(anthropicPage.data.map((model) => model.id)).toEqual(['claude-sonnet-4-6']);
    expect(provider.requests.at(-1)?.path).toBe('/v1/models?limit=3');
    const openAi = new OpenAI({ baseURL: `${proxy.url}/proxy/openai/v1`, apiKey: token, maxRetries: 0 });
    const openAiModels = await openAi.models.list();
    expect(openAiModels.data.map((model) => model.id)).toEqual(['gpt-4.1']);
    expectUpstreamSawServerKeyOnly(token);
    // Without a token limit, every model; without a valid token, nothing reaches the provider.
    const all = await anthropicClient(proxy.mint()).models.list();
    expect(all.data).toHaveLength(3);
    const before = provider.requests.length;
    await expect(anthropicClient('forged.token.value').models.list()).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
    expect(provider.requests).toHaveLength(before);
    expect((proxy.usage as MemoryUsageLedger).events).toEqual([]);
  });

  it("relays a provider's failure of the model list, and refuses a list it cannot read", async () => {
    const token = proxy.mint();
    const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    provider.enqueue(failWith(529, overloaded), failWith(529, overloaded), failWith(529, overloaded));
    const failed = await fetch(`${proxy.url}/proxy/anthropic/v1/models`, { headers: { 'x-api-key': token } });
    expect(failed.status).toBe(529);
    // Loom tried three times already: an SDK is told not to multiply them.
    expect(failed.headers.get('x-should-retry')).toBe('false');
    expect(await failed.json()).toEqual(overloaded);
    expect(provider.requests).toHaveLength(3);
    provider.enqueue((_request, response) => void response.end('<html>gateway</html>'));
    const garbled = await fetch(`${proxy.url}/proxy/anthropic/v1/models`, {
      headers: { 'x-api-key': token },
    });
    expect(garbled.status).toBe(502);
    expect(await garbled.json()).toMatchObject({ error: { code: 'upstream_unavailable' } });
  });

  it('answers plain and streamed OpenAI chat completions, with usage requested for metering', async () => {
    const token = proxy.mint({ subject: 'bob' });
    const client = new OpenAI({ baseURL: `${proxy.url}/proxy/openai/v1`, apiKey: token, maxRetries: 0 });
    const plain = await client.chat.completions.create({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(plain.choices[0]?.message.content).toBe('Hello from OpenAI');
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from OpenAI');
    expect(provider.requests[1]?.body.stream_options).toEqual({ include_usage: true });
    expect(
      provider.requests.every((request) => request.headers.authorization === `Bearer ${openAiKey}`),
    ).toBe(true);
    expectUpstreamSawServerKeyOnly(token);
    const events = (proxy.usage as MemoryUsageLedger).events;
    expect(events.map((event) => [event.route, event.inputTokens, event.outputTokens])).toEqual([
      ['openai_chat_completions', 9, 4],
      ['openai_chat_completions', 9, 4],
    ]);
  });

  it('answers plain and streamed OpenAI Responses API calls and meters both', async () => {
    const token = proxy.mint({ subject: 'carol', models: ['gpt-4.1'] });
    const client = new OpenAI({ baseURL: `${proxy.url}/proxy/openai/v1`, apiKey: token, maxRetries: 0 });
    const plain = await client.responses.create({ model: 'gpt-4.1', input: 'hi' });
    expect(plain.output_text).toBe('Hello from Responses');
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    expect(text).toBe('Hello from Responses');
    expect(provider.requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
    // The Responses API has no `include_usage`: the body goes out as the caller wrote it.
    expect(provider.requests[1]?.body).toEqual({ model: 'gpt-4.1', input: 'hi', stream: true });
    expectUpstreamSawServerKeyOnly(token);
    const events = (proxy.usage as MemoryUsageLedger).events;
    expect(events.map((event) => [event.route, event.inputTokens, event.outputTokens])).toEqual([
      ['openai_responses', 11, 6],
      ['openai_responses', 11, 6],
    ]);
    expect(events[0]?.costUsd).toBeGreaterThan(0);
    // Outside the allow-list, and in the background (unmeterable): refused, nothing sent.
    await expect(client.responses.create({ model: 'gpt-4.1-mini', input: 'hi' })).rejects.toBeInstanceOf(
      OpenAI.PermissionDeniedError,
    );
    await expect(
      client.responses.create({ model: 'gpt-4.1', input: 'hi', background: true }),
    ).rejects.toThrow(/background responses cannot be metered/);
    expect(provider.requests).toHaveLength(2);
  });

  it('surfaces a refused Loom token as the SDK authentication error, with nothing sent upstream', async () => {
    const client = anthropicClient('not-a-loom-token');
    await expect(
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    expect(provider.requests).toHaveLength(0);
  });

  it('never logs the provider key, the Loom token or the prompt', async () => {
    const token = proxy.mint();
    const prompt = 'TOP-SECRET-PROMPT-TEXT-42';
    await anthropicClient(token).messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 8,
      messages: [{ role: 'user', content: prompt }],
    });
    await anthropicClient('forged.token.value')
      .messages.create({ model: 'x', max_tokens: 8, messages: [{ role: 'user', content: prompt }] })
      .catch(() => undefined);
    const logged = proxy.logLines.join('');
    expect(logged).toContain('proxy call');
    for (const secret of [anthropicKey, openAiKey, token, prompt, 'forged.token.value'])
      expect(logged).not.toContain(secret);
  });
});
