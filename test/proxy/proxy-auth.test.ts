/**
 * RELIABILITY 35/36: every bad or stale token is refused with 401 and a JSON error, on every route,
 * and nothing at all reaches the provider.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsymmetricTokenKeys, createSecretTokenKeys, type TokenKeys } from '../../src/auth/index.js';
import { forgeHs256, forgeUnsigned, validClaims } from '../auth/forge-jwt.js';
import { startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import { postJson, startProxy, testJwtSecret, type ProxyHarness } from './support/start-proxy.js';

const routes = [
  [
    '/proxy/anthropic/v1/messages',
    { model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] },
  ],
  ['/proxy/openai/v1/chat/completions', { model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }],
  ['/proxy/anthropic/stream', { model: 'default', messages: [{ role: 'user', content: 'x' }] }],
  ['/proxy/openai/complete', { model: 'default', messages: [{ role: 'user', content: 'x' }] }],
] as const;

async function expectRefused(
  proxy: ProxyHarness,
  provider: FakeProvider,
  headers: Record<string, string>,
  reason?: RegExp,
) {
  for (const [path, body] of routes) {
    const response = await postJson(`${proxy.url}${path}`, body, headers);
    expect(response.status, `${path} ${JSON.stringify(headers).slice(0, 60)}`).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('unauthorized');
    if (reason !== undefined) expect(json.error.message).toMatch(reason);
  }
  expect(provider.requests).toHaveLength(0);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function pem(type: 'ed25519' | 'rsa') {
  return generateKeyPairSync(type as 'rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

describe('proxy authentication with HS256', () => {
  let provider: FakeProvider;
  let proxy: ProxyHarness;
  const keys = createSecretTokenKeys(testJwtSecret);
  const now = () => Math.floor(Date.now() / 1000);
  const signed = (claims: Record<string, unknown>, header: Record<string, unknown> = { kid: keys.kid }) =>
    forgeHs256(header, claims, testJwtSecret);

  beforeAll(async () => {
    provider = await startFakeProvider();
    proxy = await startProxy({ upstreamUrl: provider.url, keys });
  });
  afterAll(async () => {
    await proxy.close();
    await provider.close();
  });

  it('refuses a request without a token', async () => {
    await expectRefused(proxy, provider, {}, /missing/);
    await expectRefused(proxy, provider, { authorization: 'Basic YWxpY2U6c2VjcmV0' });
  });

  it('refuses alg none', async () => {
    await expectRefused(proxy, provider, bearer(forgeUnsigned({ kid: keys.kid }, validClaims())));
    await expectRefused(proxy, provider, { 'x-api-key': forgeUnsigned({}, validClaims()) });
  });

  it('refuses a forged signature', async () => {
    await expectRefused(
      proxy,
      provider,
      bearer(forgeHs256({ kid: keys.kid }, validClaims(), 'guessed-secret-guessed-secret-123')),
    );
  });

  it('refuses a wrong audience or issuer', async () => {
    await expectRefused(proxy, provider, bearer(signed(validClaims({ aud: 'github-app' }))));
    await expectRefused(proxy, provider, bearer(signed(validClaims({ iss: 'someone-else' }))));
  });

  it('refuses an expired token and one whose nbf is beyond the tolerance', async () => {
    await expectRefused(
      proxy,
      provider,
      bearer(signed(validClaims({ iat: now() - 7200, exp: now() - 600 }))),
      /expired/,
    );
    await expectRefused(proxy, provider, bearer(signed(validClaims({ nbf: now() + 600 }))), /not yet valid/);
  });

  it('refuses an unknown kid and a kid that names a file or a URL', async () => {
    for (const kid of [
      'rotated-away',
      '../../../../../dev/null',
      'file:///etc/passwd',
      'https://attacker.invalid/keys',
    ]) {
      await expectRefused(proxy, provider, bearer(signed(validClaims(), { kid })), /key id/);
    }
    await expectRefused(proxy, provider, bearer(forgeHs256({ kid: '/dev/null' }, validClaims(), '')));
  });

  it('refuses a token without jti or exp', async () => {
    const { jti: _jti, ...noJti } = validClaims();
    const { exp: _exp, ...noExp } = validClaims();
    await expectRefused(proxy, provider, bearer(signed(noJti)));
    await expectRefused(proxy, provider, bearer(signed(noExp)));
  });

  it('refuses a revoked token that is otherwise valid', async () => {
    const minted = proxy.tokens.mint({ subject: 'job-42', role: 'job', ttlSeconds: 600, jobId: 'job-42' });
    await proxy.revocations.revoke(minted.claims.jti, new Date(minted.claims.exp * 1000));
    await expectRefused(proxy, provider, bearer(minted.token), /revoked/);
  });

  it('lets a valid token through (the same routes reach the provider)', async () => {
    const token = proxy.mint();
    const response = await postJson(`${proxy.url}${routes[0][0]}`, routes[0][1], { 'x-api-key': token });
    expect(response.status).toBe(200);
    expect(provider.requests).toHaveLength(1);
    provider.requests.length = 0;
  });

  it('refuses a model outside the token allow-list with 403, nothing sent upstream', async () => {
    const token = proxy.mint({ models: ['claude-haiku-4-5'] });
    const response = await postJson(`${proxy.url}${routes[0][0]}`, routes[0][1], { 'x-api-key': token });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect(provider.requests).toHaveLength(0);
  });
});

describe.each(['ed25519', 'rsa'] as const)('proxy authentication with %s keys', (type) => {
  let provider: FakeProvider;
  let proxy: ProxyHarness;
  const pair = pem(type);
  const keys: TokenKeys = createAsymmetricTokenKeys(pair);

  beforeAll(async () => {
    provider = await startFakeProvider();
    proxy = await startProxy({ upstreamUrl: provider.url, keys });
  });
  afterAll(async () => {
    await proxy.close();
    await provider.close();
  });

  it('accepts its own tokens', async () => {
    const response = await postJson(`${proxy.url}${routes[0][0]}`, routes[0][1], bearer(proxy.mint()));
    expect(response.status).toBe(200);
    provider.requests.length = 0;
  });

  it('refuses HS256 signed with our public key (algorithm confusion)', async () => {
    await expectRefused(
      proxy,
      provider,
      bearer(forgeHs256({ kid: keys.kid }, validClaims(), pair.publicKey)),
      /algorithm/,
    );
  });

  it('refuses HS256 tokens of the shared-secret setup', async () => {
    await expectRefused(proxy, provider, bearer(forgeHs256({ kid: keys.kid }, validClaims(), testJwtSecret)));
  });
});
