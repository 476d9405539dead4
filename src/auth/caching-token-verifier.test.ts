import { describe, expect, it } from 'vitest';
import { isLoomError } from '../errors/index.js';
import { forgeHs256, validClaims } from '../../test/auth/forge-jwt.js';
import { createCachingTokenVerifier } from './caching-token-verifier.js';
import { createSecretTokenKeys } from './token-keys.js';
import { createTokenService, type TokenService } from './token-service.js';

const secret = 'caching-verifier-test-secret-0123456789-abcdef';

/** The real token service, counting how often the full verification runs. */
function countingService(now: () => number): { service: TokenService; calls: () => number } {
  const service = createTokenService({ keys: createSecretTokenKeys(secret), now });
  let calls = 0;
  return {
    service: {
      ...service,
      verify(token) {
        calls += 1;
        return service.verify(token);
      },
    },
    calls: () => calls,
  };
}

function unauthorizedReason(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(isLoomError(error, 'unauthorized')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('createCachingTokenVerifier', () => {
  it('verifies a token once and reuses its claims', () => {
    const clock = { now: Date.now() };
    const { service, calls } = countingService(() => clock.now);
    const verifier = createCachingTokenVerifier(service, { now: () => clock.now });
    const { token } = service.mint({ subject: 'alice', ttlSeconds: 600 });
    expect(verifier.verify(token).sub).toBe('alice');
    expect(verifier.verify(token).sub).toBe('alice');
    expect(verifier.verify(token).sub).toBe('alice');
    expect(calls()).toBe(1);
  });

  it('never answers a forged token from the cache, even with the payload of a cached one', () => {
    const clock = { now: Date.now() };
    const { service } = countingService(() => clock.now);
    const verifier = createCachingTokenVerifier(service, { now: () => clock.now });
    const { token } = service.mint({ subject: 'alice', ttlSeconds: 600 });
    verifier.verify(token);
    const [header, payload] = token.split('.');
    expect(unauthorizedReason(() => verifier.verify(`${header}.${payload}.AAAA`))).toMatch(/invalid/);
    const forged = forgeHs256({ kid: 'x' }, validClaims(), 'another-secret-another-secret-1234');
    expect(() => verifier.verify(forged)).toThrow();
    expect(() => verifier.verify(undefined)).toThrow(/missing/);
  });

  it('refuses a cached token once it expired', () => {
    const clock = { now: Date.now() };
    const { service, calls } = countingService(() => clock.now);
    const verifier = createCachingTokenVerifier(service, { now: () => clock.now });
    const { token } = service.mint({ subject: 'alice', ttlSeconds: 60 });
    verifier.verify(token);
    clock.now += 61_000;
    // Within the service's 30 s clock tolerance: the full check runs again and still accepts it.
    expect(verifier.verify(token).sub).toBe('alice');
    clock.now += 60_000;
    expect(unauthorizedReason(() => verifier.verify(token))).toMatch(/expired/);
    expect(calls()).toBe(3);
  });

  it('does not cache failures', () => {
    const clock = { now: Date.now() };
    const { service, calls } = countingService(() => clock.now);
    const verifier = createCachingTokenVerifier(service, { now: () => clock.now });
    expect(() => verifier.verify('not-a-jwt')).toThrow();
    expect(() => verifier.verify('not-a-jwt')).toThrow();
    expect(calls()).toBe(2);
  });

  it('evicts the least recently used token past maxEntries', () => {
    const clock = { now: Date.now() };
    const { service, calls } = countingService(() => clock.now);
    const verifier = createCachingTokenVerifier(service, { maxEntries: 2, now: () => clock.now });
    const [a, b, c] = ['a', 'b', 'c'].map((subject) => service.mint({ subject, ttlSeconds: 600 }).token);
    verifier.verify(a);
    verifier.verify(b);
    verifier.verify(a); // a is now the most recent
    verifier.verify(c); // evicts b
    expect(calls()).toBe(3);
    verifier.verify(a);
    expect(calls()).toBe(3);
    verifier.verify(b);
    expect(calls()).toBe(4);
  });
});
