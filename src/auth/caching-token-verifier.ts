/**
 * Verifies each distinct token once: the claims of a token that passed full verification are kept,
 * keyed by the whole token string (header, payload and signature), and reused until the token's
 * `exp`. A forged or altered token is a different string, so it never hits the cache and gets the
 * full check; a cached token past `exp` is handed to the full check again, which refuses it with
 * the usual reason. Failures are not cached. This takes the signature check (HMAC, or an RSA/EdDSA
 * verify) off the proxy's path for every call after a token's first.
 */
import type { TokenClaims } from './token-claims.js';

export interface TokenVerifierLike {
  verify(token: string | undefined): TokenClaims;
}

export interface CachingTokenVerifierOptions {
  /** Distinct tokens kept (least recently used evicted); default 10 000 (a few MB). */
  maxEntries?: number;
  /** Clock in milliseconds; tests move it. */
  now?: () => number;
}

export function createCachingTokenVerifier(
  inner: TokenVerifierLike,
  options: CachingTokenVerifierOptions = {},
): TokenVerifierLike {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on a hit makes its first key the least recently used.
  const cache = new Map<string, TokenClaims>();
  return {
    verify(token) {
      if (token !== undefined) {
        const cached = cache.get(token);
        if (cached !== undefined) {
          cache.delete(token);
          // Strictly before `exp`: from then on the full check (with its clock tolerance) decides.
          if (now() < cached.exp * 1000) {
            cache.set(token, cached);
            return cached;
          }
        }
      }
      const claims = inner.verify(token);
      // A token not yet valid (`nbf` within the tolerance) is verified again next time.
      if (token !== undefined && (claims.nbf === undefined || claims.nbf * 1000 <= now())) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(token, claims);
      }
      return claims;
    },
  };
}
