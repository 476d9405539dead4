/**
 * The proxy as the server wires it (`createProxyFromConfig`): keys from the data directory shared
 * with `loom token create`, metering batched into a real SQLite store, budgets enforced across calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService, loadTokenKeys } from '../../src/auth/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { createProxyFromConfig, type ProxyFromConfig } from '../../src/proxy/index.js';
import { anthropicKey, normalAnswer, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { openSqliteTestStore, type OpenedStore } from './support/open-test-stores.js';
import { postJson, readLlmEvents } from './support/start-proxy.js';
import { serveProxyRouter } from './support/serve-proxy-router.js';

describe('createProxyFromConfig', () => {
  let provider: FakeProvider;
  let opened: OpenedStore;
  let proxy: ProxyFromConfig;
  let url: string;
  let close: () => Promise<void>;
  let dataDir: string;

  beforeAll(async () => {
    provider = await startFakeProvider();
    opened = await openSqliteTestStore();
    dataDir = opened.dataDir;
    proxy = await createProxyFromConfig({
      config: {
        jwtSecret: undefined,
        dataDir,
        anthropic: { apiKey: anthropicKey, baseUrl: provider.url },
        openai: { apiKey: undefined, baseUrl: undefined },
        model: 'anthropic/claude-haiku-4-5',
      },
      store: opened.store,
      logger: createSilentLogger(),
    });
    ({ url, close } = await serveProxyRouter(proxy.router));
  });
  afterAll(async () => {
    await close();
    await provider.close();
    await opened.cleanup();
  });

  it('accepts tokens minted from the same data directory and enforces the budget across batched metering', async () => {
    const tokens = createTokenService({ keys: await loadTokenKeys({ jwtSecret: undefined, dataDir }) });
    // claude-haiku-4-5 (LOOM_MODEL, so the default) costs $1 / $5 per million: 1000 in + 1000 out = $0.006.
    const minted = tokens.mint({
      subject: 'job-3',
      role: 'job',
      jobId: 'job-3',
      ttlSeconds: 600,
      budgetUsd: 0.01,
    });
    const headers = { 'x-api-key': minted.token };
    const request = { messages: [{ role: 'user', content: 'go' }] };
    for (let call = 0; call < 2; call += 1) {
      provider.enqueue(normalAnswer({ inputTokens: 1000, outputTokens: 1000 }));
      const events = await readLlmEvents(await postJson(`${url}/proxy/anthropic/stream`, request, headers));
      expect(events.at(-1)?.type).toBe('completed');
    }
    expect(provider.requests.map((sent) => sent.body.model)).toEqual([
      'claude-haiku-4-5',
      'claude-haiku-4-5',
    ]);
    const refused = await postJson(`${url}/proxy/anthropic/stream`, request, headers);
    expect(refused.status).toBe(402);
    expect(provider.requests).toHaveLength(2);

    await proxy.close();
    expect(await opened.store.usage.spentUsd({ tokenId: minted.claims.jti })).toBeCloseTo(0.012, 10);
  });
});
