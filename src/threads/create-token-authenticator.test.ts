import { describe, expect, it } from 'vitest';
import { createMemoryRevocationList, createSecretTokenKeys, createTokenService } from '../auth/index.js';
import { createTokenAuthenticator } from './create-token-authenticator.js';

const tokens = createTokenService({ keys: createSecretTokenKeys('s'.repeat(48)) });

describe('createTokenAuthenticator', () => {
  it('maps admin tokens to admin and every other role to a user acting as its subject', async () => {
    const authenticate = createTokenAuthenticator({ tokens });
    const admin = tokens.mint({ subject: 'root', role: 'admin', ttlSeconds: 60 }).token;
    const user = tokens.mint({ subject: 'alice', ttlSeconds: 60 }).token;
    const job = tokens.mint({ subject: 'job-1', role: 'job', ttlSeconds: 60 }).token;
    await expect(authenticate(admin)).resolves.toEqual({ subject: 'root', role: 'admin' });
    await expect(authenticate(user)).resolves.toEqual({ subject: 'alice', role: 'user' });
    await expect(authenticate(job)).resolves.toEqual({ subject: 'job-1', role: 'user' });
  });

  it('refuses garbage, foreign and revoked tokens as unauthorized', async () => {
    const revocations = createMemoryRevocationList();
    const authenticate = createTokenAuthenticator({ tokens, revocations });
    const other = createTokenService({ keys: createSecretTokenKeys('o'.repeat(48)) });
    const minted = tokens.mint({ subject: 'alice', ttlSeconds: 60 });
    await expect(authenticate('not.a.jwt')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authenticate(other.mint({ subject: 'alice', ttlSeconds: 60 }).token)).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await revocations.revoke(minted.claims.jti, new Date(minted.claims.exp * 1000));
    await expect(authenticate(minted.token)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('answers dependency_unavailable, not 401, when revocations cannot be read', async () => {
    const authenticate = createTokenAuthenticator({
      tokens,
      revocations: { isRevoked: () => Promise.reject(new Error('database down')) },
    });
    await expect(authenticate(tokens.mint({ subject: 'a', ttlSeconds: 60 }).token)).rejects.toMatchObject({
      code: 'dependency_unavailable',
    });
  });
});
