/**
 * What keeps the proxy's own cost per call low, tested through the server wiring
 * (`createProxyFromConfig`) on a real SQLite store: batched metering that loses nothing on a
 * graceful shutdown, a revocation cache that still refuses revoked tokens within its delay, token
 * key files from the configuration, and native bodies forwarded as written unless a rewrite is needed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAsymmetricTokenKeys,
  createTokenService,
  loadTokenKeys,
  type TokenService,
} from '../../src/auth/index.js';
import { costOfUsage } from '../../src/llm/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import {
  createProxyFromConfig,
  type ProxyFromConfig,
  type ProxyFromConfigInput,
} from '../../src/proxy/index.js';
import { anthropicKey, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { openSqliteTestStore, type OpenedStore } from './support/open-test-stores.js';
import { serveProxyRouter } from './support/serve-proxy-router.js';

interface Running {
  url: string;
  proxy: ProxyFromConfig;
  stop(): Promise<void>;
}

describe('the proxy as the server wires it: hot-path caches and batching', () => {
  let provider: FakeProvider;
  let opened: OpenedStore;
  let running: Running | undefined;

  beforeEach(async () => {
    provider = await startFakeProvider();
    opened = await openSqliteTestStore();
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await provider.close();
    await opened.cleanup();
  });

  async function start(
    extra: Partial<ProxyFromConfigInput> = {},
    jwtKeyFiles?: ProxyFromConfigInput['config']['jwtKeyFiles'],
  ): Promise<Running> {
    const proxy = await createProxyFromConfig({
      config: {
        jwtSecret: undefined,
        ...(jwtKeyFiles === undefined ? {} : { jwtKeyFiles }),
        dataDir: opened.dataDir,
        anthropic: { apiKey: anthropicKey, baseUrl: provider.url },
        openai: { apiKey: undefined, baseUrl: undefined },
        model: 'anthropic/claude-haiku-4-5',
      },
      store: opened.store,
      logger: createSilentLogger(),
      ...extra,
    });
    const server = await serveProxyRouter(proxy.router);
    running = {
      url: server.url,
      proxy,
      stop: async () => {
        await server.close();
        await proxy.close();
      },
    };
    return running;
  }

  const secretTokens = async (): Promise<TokenService> =>
    createTokenService({ keys: await loadTokenKeys({ jwtSecret: undefined, dataDir: opened.dataDir }) });

  function native(url: string, token: string, body: string): Promise<Response> {
    return fetch(`${url}/proxy/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': token, 'anthropic-version': '2023-06-01' },
      body,
    });
  }

  it('meters every call once its batch is written, and close() writes what is pending', async () => {
    const { url, proxy } = await start();
    const { token, claims } = (await secretTokens()).mint({ subject: 'job-9', role: 'job', ttlSeconds: 600 });
    const body = JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    for (let call = 0; call < 12; call += 1) expect((await native(url, token, body)).status).toBe(200);
    await proxy.close();
    // claude-haiku-4-5: $1 / $5 per million tokens; the fake answers 12 in, 5 out.
    const perCall = costOfUsage('claude-haiku-4-5', { input_tokens: 12, output_tokens: 5 });
    expect(await opened.store.usage.spentUsd({ tokenId: claims.jti })).toBeCloseTo(12 * perCall, 12);
  });

  it('refuses a token revoked in the store (as `loom token revoke` does) on the next call when the cache is off', async () => {
    const { url } = await start({ revocationCacheMs: 0 });
    const { token, claims } = (await secretTokens()).mint({ subject: 'leaky', ttlSeconds: 600 });
    const body = JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect((await native(url, token, body)).status).toBe(200);
    await opened.store.revocations.revoke(claims.jti, new Date(Date.now() + 3_600_000));
    const refused = await native(url, token, body);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized', message: 'token revoked' } });
    expect(provider.requests).toHaveLength(1);
  });

  it('refuses a token revoked in the store within the revocation cache delay', async () => {
    const { url } = await start({ revocationCacheMs: 200 });
    const { token, claims } = (await secretTokens()).mint({ subject: 'leaky', ttlSeconds: 600 });
    const body = JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect((await native(url, token, body)).status).toBe(200);
    await opened.store.revocations.revoke(claims.jti, new Date(Date.now() + 3_600_000));
    // Bounded by the cache delay; the deadline is only a safety net for a very slow machine.
    const deadline = Date.now() + 20_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await native(url, token, body)).status;
    }
    expect(status).toBe(401);
    const accepted = provider.requests.length;
    expect((await native(url, token, body)).status).toBe(401);
    expect(provider.requests).toHaveLength(accepted);
  });

  it('verifies with the configured public key file (algorithm from the key) and refuses secret-signed tokens', async () => {
    const pair = generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const publicKeyPath = join(opened.dataDir, 'jwt-public.pem');
    await writeFile(publicKeyPath, pair.publicKey);
    const { url } = await start({}, { privateKeyPath: undefined, publicKeyPath });
    const signer = createTokenService({ keys: createAsymmetricTokenKeys({ privateKey: pair.privateKey }) });
    const body = JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect((await native(url, signer.mint({ subject: 'ed', ttlSeconds: 60 }).token, body)).status).toBe(200);
    const secretSigned = (await secretTokens()).mint({ subject: 'old', ttlSeconds: 60 }).token;
    const refused = await native(url, secretSigned, body);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { message: 'token algorithm not accepted' } });
    expect(provider.requests).toHaveLength(1);
  });

  it('forwards a native body byte for byte when nothing needs rewriting', async () => {
    const { url } = await start();
    const { token } = (await secretTokens()).mint({ subject: 'sdk', ttlSeconds: 600 });
    // Spacing and key order an SDK might produce: kept exactly.
    const body =
      '{ "max_tokens": 10,\n  "messages": [{"role": "user", "content": "héllo"}], "model": "claude-haiku-4-5" }';
    expect((await native(url, token, body)).status).toBe(200);
    expect(provider.requests[0]?.rawBody).toBe(body);
  });

  it('re-serializes a body whose model key is repeated or escaped, so the provider reads the model that was allowed', async () => {
    const { url } = await start();
    const { token } = (await secretTokens()).mint({
      subject: 'sly',
      ttlSeconds: 600,
      models: ['claude-haiku-4-5'],
    });
    const messages = '"messages": [{"role": "user", "content": "hi"}], "max_tokens": 10';
    for (const body of [
      `{"model": "claude-opus-4-1", "model": "claude-haiku-4-5", ${messages}}`,
      `{"model": "claude-opus-4-1", "\\u006dodel": "claude-haiku-4-5", ${messages}}`,
    ]) {
      expect((await native(url, token, body)).status).toBe(200);
    }
    expect(provider.requests).toHaveLength(2);
    for (const sent of provider.requests) {
      expect(sent.body.model).toBe('claude-haiku-4-5');
      expect(sent.rawBody).not.toContain('opus');
    }
    // The allow-list is applied to the model JSON.parse sees: the last one.
    const refused = await native(
      url,
      token,
      `{"model": "claude-haiku-4-5", "model": "claude-opus-4-1", ${messages}}`,
    );
    expect(refused.status).toBe(403);
  });

  it('relays a JSON answer that the provider sends in several pieces whole', async () => {
    const { url } = await start();
    const { token } = (await secretTokens()).mint({ subject: 'pieces', ttlSeconds: 600 });
    const answer = JSON.stringify({
      id: 'msg_pieces',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: 'three pieces' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 7, output_tokens: 2 },
    });
    provider.enqueue(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (const piece of [answer.slice(0, 10), answer.slice(10, 40), answer.slice(40)]) {
        response.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      response.end();
    });
    const body = JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const relayed = await native(url, token, body);
    expect(relayed.status).toBe(200);
    expect(await relayed.text()).toBe(answer);
  });

  it("sends a stream's headers before its first event when the provider is slow to send one", async () => {
    const { url } = await start();
    const { token } = (await secretTokens()).mint({ subject: 'slow', ttlSeconds: 600 });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    provider.enqueue(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
      await released; // no event until the client has seen the headers
      response.end('event: message_stop\ndata: {"type":"message_stop"}\n\n');
    });
    const body = JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const streamed = await native(url, token, body);
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    release();
    expect(await streamed.text()).toContain('message_stop');
  });

  it('answers 400 to a native body that is not JSON, without calling the provider', async () => {
    const { url } = await start();
    const { token } = (await secretTokens()).mint({ subject: 'typo', ttlSeconds: 600 });
    const refused = await native(url, token, '{"model": ');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'invalid_input' } });
    expect(provider.requests).toHaveLength(0);
  });
});
