import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLoomError } from '../errors/index.js';
import { forgeHs256, forgeUnsigned, validClaims } from '../../test/auth/forge-jwt.js';
import { createAsymmetricTokenKeys, createSecretTokenKeys, type TokenKeys } from './token-keys.js';
import { createTokenService } from './token-service.js';

const secret = 'unit-test-secret-that-is-long-enough-0123456789';

function expectUnauthorized(action: () => unknown, reason?: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(isLoomError(caught, 'unauthorized')).toBe(true);
  if (reason !== undefined) expect((caught as Error).message).toMatch(reason);
}

function pemPair(type: 'ed25519' | 'rsa' | 'ec'): { privateKey: string; publicKey: string } {
  const options =
    type === 'rsa' ? { modulusLength: 2048 } : type === 'ec' ? { namedCurve: 'prime256v1' } : ({} as object);
  const pair = generateKeyPairSync(type as 'ed25519', {
    ...options,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return pair;
}

describe('createTokenService with a shared secret (HS256)', () => {
  const keys = createSecretTokenKeys(secret);
  const tokens = createTokenService({ keys });

  it('mints a token whose claims verify', () => {
    const minted = tokens.mint({
      subject: 'alice',
      ttlSeconds: 600,
      budgetUsd: 2,
      models: ['claude-*'],
      jobId: 'J1',
    });
    const claims = tokens.verify(minted.token);
    expect(claims).toMatchObject({
      sub: 'alice',
      role: 'user',
      budget_usd: 2,
      models: ['claude-*'],
      job: 'J1',
    });
    expect(claims.exp - claims.iat).toBe(600);
    expect(claims.jti).toBe(minted.claims.jti);
  });

  it('puts the key id and the algorithm in the header', () => {
    const header = JSON.parse(
      Buffer.from(
        tokens.mint({ subject: 'a', ttlSeconds: 60 }).token.split('.')[0] as string,
        'base64url',
      ).toString(),
    );
    expect(header).toMatchObject({ alg: 'HS256', kid: keys.kid });
  });

  it('refuses a missing token, garbage and a token signed with another secret', () => {
    expectUnauthorized(() => tokens.verify(undefined), /missing/);
    expectUnauthorized(() => tokens.verify('not-a-jwt'));
    expectUnauthorized(() => tokens.verify('a.b.c'));
    expectUnauthorized(() =>
      tokens.verify(forgeHs256({ kid: keys.kid }, validClaims(), 'another-secret-another-secret-1234')),
    );
  });

  it('refuses alg none, with or without our kid', () => {
    expectUnauthorized(() => tokens.verify(forgeUnsigned({ kid: keys.kid }, validClaims())));
    expectUnauthorized(() => tokens.verify(forgeUnsigned({}, validClaims())));
  });

  it('refuses wrong audience, wrong issuer, expiry, future nbf and missing jti or exp', () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = (claims: Record<string, unknown>) => forgeHs256({ kid: keys.kid }, claims, secret);
    expectUnauthorized(() => tokens.verify(forged(validClaims({ aud: 'somebody-else' }))));
    expectUnauthorized(() => tokens.verify(forged(validClaims({ iss: 'evil' }))));
    expectUnauthorized(
      () => tokens.verify(forged(validClaims({ iat: now - 7200, exp: now - 3600 }))),
      /expired/,
    );
    expectUnauthorized(() => tokens.verify(forged(validClaims({ nbf: now + 300 }))), /not yet valid/);
    const { jti: _jti, ...withoutJti } = validClaims();
    expectUnauthorized(() => tokens.verify(forged(withoutJti)));
    const { exp: _exp, ...withoutExp } = validClaims();
    expectUnauthorized(() => tokens.verify(forged(withoutExp)));
  });

  it('accepts nbf and exp within the clock tolerance', () => {
    const now = Math.floor(Date.now() / 1000);
    const token = forgeHs256(
      { kid: keys.kid },
      validClaims({ nbf: now + 10, exp: now - 5, iat: now - 60 }),
      secret,
    );
    expect(tokens.verify(token).sub).toBe('mallory');
  });

  it('refuses an unknown kid, and a kid naming a file or a URL, even when correctly signed', () => {
    for (const kid of [
      'other-key',
      '../../../../dev/null',
      '/etc/passwd',
      'https://attacker.invalid/jwks.json',
      undefined,
    ]) {
      expectUnauthorized(
        () => tokens.verify(forgeHs256(kid === undefined ? {} : { kid }, validClaims(), secret)),
        /key id/,
      );
    }
    // The classic "kid: /dev/null" attack signs with an empty key.
    expectUnauthorized(() => tokens.verify(forgeHs256({ kid: '/dev/null' }, validClaims(), '')));
  });

  it('follows an injected clock', () => {
    let now = Date.now();
    const clocked = createTokenService({ keys, now: () => now });
    const { token } = clocked.mint({ subject: 'a', ttlSeconds: 60 });
    now += 120_000;
    expectUnauthorized(() => clocked.verify(token), /expired/);
  });
});

describe.each([
  ['ed25519', 'EdDSA'],
  ['rsa', 'RS256'],
  ['ec', 'ES256'],
] as const)('createTokenService with %s keys', (type, algorithm) => {
  const pem = pemPair(type);
  const keys: TokenKeys = createAsymmetricTokenKeys(pem);
  const tokens = createTokenService({ keys });

  it(`mints ${algorithm} tokens that a public-key-only verifier accepts`, () => {
    expect(tokens.algorithm).toBe(algorithm);
    const { token } = tokens.mint({ subject: 'worker', role: 'job', ttlSeconds: 60, jobId: 'job-1' });
    const verifier = createTokenService({ keys: createAsymmetricTokenKeys({ publicKey: pem.publicKey }) });
    expect(verifier.verify(token)).toMatchObject({ sub: 'worker', role: 'job', job: 'job-1' });
  });

  it('refuses HS256 signed with our public key (algorithm confusion)', () => {
    expectUnauthorized(
      () => tokens.verify(forgeHs256({ kid: keys.kid }, validClaims(), pem.publicKey)),
      /algorithm/,
    );
  });

  it('refuses a token of another key pair with the same algorithm', () => {
    const other = createTokenService({ keys: createAsymmetricTokenKeys(pemPair(type)) });
    const { token } = other.mint({ subject: 'x', ttlSeconds: 60 });
    expectUnauthorized(() => tokens.verify(token));
    // Even when the attacker copies our kid into the header, the signature does not hold.
    const [, payload, signature] = token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: algorithm, typ: 'JWT', kid: keys.kid })).toString(
      'base64url',
    );
    expectUnauthorized(() => tokens.verify(`${header}.${payload}.${signature}`));
  });

  it('refuses to mint a token for nobody, naming the claim', () => {
    const tokens = createTokenService({ keys: createSecretTokenKeys(secret) });
    expect(() => tokens.mint({ subject: '', ttlSeconds: 60 })).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        message: expect.stringMatching(/^cannot mint a token: sub:/),
      }),
    );
  });

  it('refuses to mint without the private key', () => {
    const verifyOnly = createTokenService({ keys: createAsymmetricTokenKeys({ publicKey: pem.publicKey }) });
    expect(() => verifyOnly.mint({ subject: 'x', ttlSeconds: 60 })).toThrow(/private key/);
  });
});

describe('createSecretTokenKeys', () => {
  it('refuses a short secret', () => {
    expect(() => createSecretTokenKeys('short')).toThrow(/at least 32/);
  });
});
