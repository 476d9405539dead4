/**
 * Provider calls through a company's outbound HTTP proxy (HTTPS_PROXY / HTTP_PROXY, NO_PROXY): a
 * loopback CONNECT proxy resolves `provider.test` to the fake provider, a name only the proxy can
 * resolve, so an answer proves the call went through the tunnel.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService, loadTokenKeys } from '../../src/auth/index.js';
import type { OutboundProxyConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logging/index.js';
import { createProxyFromConfig, createUndiciUpstreamFetch, readBodyText } from '../../src/proxy/index.js';
import { startFakeConnectProxy, type FakeConnectProxy } from './support/fake-connect-proxy.js';
import { anthropicKey, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { openSqliteTestStore, type OpenedStore } from './support/open-test-stores.js';
import { postJson, startProxy as startLoomProxy } from './support/start-proxy.js';
import { serveProxyRouter } from './support/serve-proxy-router.js';

const native = { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };

describe('provider calls through an outbound proxy', () => {
  let provider: FakeProvider;
  let providerPort: number;
  const proxies: FakeConnectProxy[] = [];

  beforeAll(async () => {
    provider = await startFakeProvider();
    providerPort = Number(new URL(provider.url).port);
  });
  afterEach(async () => {
    for (const proxy of proxies.splice(0)) await proxy.close();
  });
  afterAll(async () => {
    await provider.close();
  });

  async function startProxy(credentials?: string): Promise<FakeConnectProxy> {
    const proxy = await startFakeConnectProxy({
      hosts: { 'provider.test': '127.0.0.1' },
      ...(credentials === undefined ? {} : { credentials }),
    });
    proxies.push(proxy);
    return proxy;
  }

  function call(outboundProxy: OutboundProxyConfig, host = 'provider.test') {
    const send = createUndiciUpstreamFetch({ outboundProxy });
    return send(`http://${host}:${providerPort}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': anthropicKey },
      body: JSON.stringify(native),
    });
  }

  const via = (url: string, noProxy?: string): OutboundProxyConfig => ({
    httpsProxy: undefined,
    httpProxy: url,
    noProxy,
  });

  it('tunnels the call through the proxy, the provider key inside the tunnel', async () => {
    const proxy = await startProxy();
    const before = provider.requests.length;
    const answer = await call(via(proxy.url));
    expect(answer.status).toBe(200);
    expect(JSON.parse(await readBodyText(answer.body))).toMatchObject({ type: 'message' });
    expect(proxy.connects.map((connect) => connect.target)).toEqual([`provider.test:${providerPort}`]);
    expect(JSON.stringify(proxy.connects[0]?.headers)).not.toContain(anthropicKey);
    expect(provider.requests.slice(before).map((request) => request.headers['x-api-key'])).toEqual([
      anthropicKey,
    ]);
  });

  it('sends the credentials of the proxy URL, and fails clearly without them', async () => {
    const proxy = await startProxy('loom:s3cr3t');
    const answer = await call(via(`http://loom:s3cr3t@${new URL(proxy.url).host}`));
    expect(answer.status).toBe(200);
    expect(proxy.connects[0]?.headers['proxy-authorization']).toBe(
      `Basic ${Buffer.from('loom:s3cr3t').toString('base64')}`,
    );
    const before = provider.requests.length;
    await expect(call(via(proxy.url))).rejects.toThrow(/407/);
    expect(provider.requests).toHaveLength(before);
  });

  it('goes direct to hosts in NO_PROXY and to loopback addresses', async () => {
    const proxy = await startProxy();
    // provider.test resolves nowhere but in the proxy: reached directly, the call cannot connect.
    await expect(call(via(proxy.url, 'example.org,provider.test'))).rejects.toThrow();
    const answer = await call(via(proxy.url), '127.0.0.1');
    expect(answer.status).toBe(200);
    await readBodyText(answer.body);
    expect(proxy.connects).toEqual([]);
  });

  it('answers 502 when the proxy refuses the tunnel, and logs why for the operator', async () => {
    const proxy = await startProxy('loom:s3cr3t');
    const loom = await startLoomProxy({
      upstreamUrl: `http://provider.test:${providerPort}`,
      deps: {
        fetch: createUndiciUpstreamFetch({ outboundProxy: via(proxy.url) }),
        retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
      },
    });
    try {
      const before = provider.requests.length;
      const response = await postJson(`${loom.url}/proxy/anthropic/v1/messages`, native, {
        'x-api-key': loom.mint(),
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ error: { code: 'upstream_unavailable' } });
      expect(provider.requests).toHaveLength(before);
      const failure = loom.logLines.find((line) =>
        line.includes('the provider call failed before any answer'),
      );
      expect(failure).toContain('407');
    } finally {
      await loom.close();
    }
  });

  it('is what `createProxyFromConfig` uses when the configuration names a proxy, and logs no credentials', async () => {
    const proxy = await startProxy('loom:s3cr3t');
    const opened: OpenedStore = await openSqliteTestStore();
    const logLines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    const outboundProxy = via(`http://loom:s3cr3t@${new URL(proxy.url).host}`, 'internal.example');
    const loom = await createProxyFromConfig({
      config: {
        jwtSecret: undefined,
        dataDir: opened.dataDir,
        anthropic: { apiKey: anthropicKey, baseUrl: `http://provider.test:${providerPort}` },
        openai: { apiKey: undefined, baseUrl: undefined },
        model: undefined,
        outboundProxy,
      },
      store: opened.store,
      logger,
    });
    const server = await serveProxyRouter(loom.router);
    try {
      const tokens = createTokenService({
        keys: await loadTokenKeys({ jwtSecret: undefined, dataDir: opened.dataDir }),
      });
      const { token } = tokens.mint({ subject: 'alice', ttlSeconds: 600 });
      const url = `${server.url}/proxy/anthropic/v1/messages`;
      const response = await postJson(url, native, { 'x-api-key': token });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ type: 'message', role: 'assistant' });
      expect(proxy.connects.map((connect) => connect.target)).toEqual([`provider.test:${providerPort}`]);
      const log = logLines.join('');
      expect(log).toContain('provider calls go through a proxy');
      expect(log).toContain(proxy.url);
      expect(log).not.toContain('s3cr3t');
    } finally {
      await server.close();
      await loom.close();
      await opened.cleanup();
    }
  });
});
