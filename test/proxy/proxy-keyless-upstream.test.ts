/**
 * A self-hosted OpenAI-compatible server (Ollama, vLLM) that wants no key: configured on the server
 * with OPENAI_BASE_URL alone. Workers always call models through the proxy, so the proxy must reach
 * it: every route works, no `authorization` header goes upstream (in particular not the caller's
 * Loom token), and a provider with neither key nor base URL still answers 503. Such a model is in no
 * price table: LOOM_MODEL_PRICES prices it, or it would be metered at the dearest model's price.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenService, loadTokenKeys } from '../../src/auth/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { createProxyFromConfig } from '../../src/proxy/index.js';
import { normalAnswer, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { openSqliteTestStore } from './support/open-test-stores.js';
import { postJson, readLlmEvents, startProxy, type ProxyHarness } from './support/start-proxy.js';
import { serveProxyRouter } from './support/serve-proxy-router.js';

describe('an OpenAI-compatible server without a key', () => {
  let provider: FakeProvider;
  let proxy: ProxyHarness;
  let token: string;
  beforeEach(async () => {
    provider = await startFakeProvider({ keyless: true });
    proxy = await startProxy({
      upstreamUrl: provider.url,
      deps: {
        upstream: {
          anthropic: { apiKey: undefined, baseUrl: undefined },
          openai: { apiKey: undefined, baseUrl: `${provider.url}/v1` },
        },
        defaultModels: { anthropic: 'claude-sonnet-4-6', openai: 'llama3.1:70b' },
      },
    });
    token = proxy.mint({ subject: 'worker', role: 'job', jobId: 'job-ollama' });
  });
  afterEach(async () => {
    await proxy.close();
    await provider.close();
  });

  it('serves the normalized stream with no credential sent upstream', async () => {
    const response = await postJson(
      `${proxy.url}/proxy/openai/stream`,
      { model: 'default', messages: [{ role: 'user', content: 'Say hello' }] },
      { authorization: `Bearer ${token}` },
    );
    expect(response.status).toBe(200);
    const events = await readLlmEvents(response);
    expect(events.at(-1)?.type).toBe('completed');
    expect(provider.requests).toHaveLength(1);
    expect(provider.requests[0]?.path).toBe('/v1/chat/completions');
    expect(provider.requests[0]?.body).toMatchObject({ model: 'llama3.1:70b' });
    expect(provider.requests[0]?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(provider.requests[0]?.headers)).not.toContain(token);
  });

  it('passes the official SDK through natively, and lists the server models', async () => {
    const client = new OpenAI({ apiKey: token, baseURL: `${proxy.url}/proxy/openai/v1`, maxRetries: 0 });
    const answer = await client.chat.completions.create({
      model: 'llama3.1:70b',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(answer.choices[0]?.message.content).toBeTruthy();
    const models = await client.models.list();
    expect(models.data.length).toBeGreaterThan(0);
    expect(provider.requests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/models']);
    for (const request of provider.requests) {
      expect(request.headers.authorization).toBeUndefined();
      expect(JSON.stringify(request.headers)).not.toContain(token);
    }
  });

  it('still answers 503 for a provider with neither key nor base URL', async () => {
    const response = await postJson(
      `${proxy.url}/proxy/anthropic/complete`,
      { model: 'default', messages: [{ role: 'user', content: 'Say hello' }] },
      { authorization: `Bearer ${token}` },
    );
    expect(response.status).toBe(503);
    expect(provider.requests).toHaveLength(0);
  });
});

describe('a self-hosted model wired from the configuration', () => {
  it('is served with OPENAI_BASE_URL alone and metered at the LOOM_MODEL_PRICES price', async () => {
    const provider = await startFakeProvider({ keyless: true });
    const opened = await openSqliteTestStore();
    const pricesFile = join(opened.dataDir, 'prices.json');
    await writeFile(pricesFile, JSON.stringify({ 'openai/llama3.1:70b': { input: 0.5, output: 1 } }));
    const proxy = await createProxyFromConfig({
      config: {
        jwtSecret: undefined,
        dataDir: opened.dataDir,
        anthropic: { apiKey: undefined, baseUrl: undefined },
        openai: { apiKey: undefined, baseUrl: `${provider.url}/v1` },
        model: 'openai/llama3.1:70b',
        modelPricesFile: pricesFile,
      },
      store: opened.store,
      logger: createSilentLogger(),
    });
    const server = await serveProxyRouter(proxy.router);
    try {
      const { url } = server;
      const tokens = createTokenService({
        keys: await loadTokenKeys({ jwtSecret: undefined, dataDir: opened.dataDir }),
      });
      const minted = tokens.mint({
        subject: 'job-9',
        role: 'job',
        jobId: 'job-9',
        ttlSeconds: 600,
        budgetUsd: 1,
      });
      provider.enqueue(normalAnswer({ inputTokens: 1000, outputTokens: 2000 }));
      const response = await postJson(
        `${url}/proxy/openai/complete`,
        { model: 'default', messages: [{ role: 'user', content: 'go' }] },
        { authorization: `Bearer ${minted.token}` },
      );
      expect(response.status).toBe(200);
      expect(provider.requests[0]?.body).toMatchObject({ model: 'llama3.1:70b' });
      expect(provider.requests[0]?.headers.authorization).toBeUndefined();
      await proxy.close();
      // 1 000 × $0.5 + 2 000 × $1 per million tokens.
      expect(await opened.store.usage.spentUsd({ tokenId: minted.claims.jti })).toBeCloseTo(0.0025, 10);
    } finally {
      await server.close();
      await provider.close();
      await opened.cleanup();
    }
  });
});
