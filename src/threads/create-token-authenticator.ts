import { isLoomError, LoomError } from '../errors/index.js';
import type { AuthenticateBearer } from './threads-principal.js';

/** The part of `TokenService` (src/auth) the API needs. */
export interface BearerTokenVerifier {
  /** Returns the claims or throws `LoomError('unauthorized')`. */
  verify(token: string | undefined): { sub: string; role: string; jti: string };
}

export interface TokenAuthenticatorOptions {
  tokens: BearerTokenVerifier;
  /** Revoked token ids (the store's `revocations`); a revoked token is refused. */
  revocations?: { isRevoked(jti: string): Promise<boolean> };
}

/**
 * Authenticates the API with the tokens `loom token create` prints: `admin` tokens read every
 * thread; `user` (and job) tokens act as their subject. Failures are `unauthorized`, except a
 * revocation list that cannot be read, which is `dependency_unavailable` (503, not a false 401).
 */
export function createTokenAuthenticator(options: TokenAuthenticatorOptions): AuthenticateBearer {
  return async (token) => {
    const claims = options.tokens.verify(token);
    if (options.revocations !== undefined) {
      let revoked: boolean;
      try {
        revoked = await options.revocations.isRevoked(claims.jti);
      } catch (error) {
        if (isLoomError(error)) throw error;
        throw new LoomError('dependency_unavailable', 'cannot check token revocation', { cause: error });
      }
      if (revoked) throw new LoomError('unauthorized', 'token revoked');
    }
    return { subject: claims.sub, role: claims.role === 'admin' ? 'admin' : 'user' };
  };
}
