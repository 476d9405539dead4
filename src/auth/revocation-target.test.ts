import { describe, expect, it } from 'vitest';
import { createSecretTokenKeys } from './token-keys.js';
import { createTokenService } from './token-service.js';
import { revocationTarget } from './revocation-target.js';

describe('revocationTarget', () => {
  it('takes a bare token id as it is', () => {
    expect(revocationTarget(' 0193a7d2-5c1e-7000-8000-000000000001 ')).toEqual({
      jti: '0193a7d2-5c1e-7000-8000-000000000001',
      expiresAt: undefined,
    });
  });

  it('reads the id and expiry out of a whole token', () => {
    const service = createTokenService({
      keys: createSecretTokenKeys('revocation-test-secret-0123456789abcdef'),
    });
    const minted = service.mint({ subject: 'leaked', ttlSeconds: 600 });
    expect(revocationTarget(minted.token)).toEqual({
      jti: minted.claims.jti,
      expiresAt: new Date(minted.claims.exp * 1000),
    });
  });

  it('refuses an empty argument and a token without an id', () => {
    expect(() => revocationTarget('  ')).toThrow(/token id \(jti\) or the token/);
    const noJti = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    expect(() => revocationTarget(noJti)).toThrow(/carries no jti/);
  });
});
