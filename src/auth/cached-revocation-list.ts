/**
 * A revocation list in front of the store's, so a proxied call does not pay a database query to
 * learn that its token is (still) not revoked. A "revoked" answer is kept for good (revocation is
 * final); a "not revoked" answer is reused for `ttlMs` per token id. Revocations made through this
 * object apply at once in this process; one made elsewhere (`loom token revoke`, another server) is
 * seen within `ttlMs`. Concurrent look-ups of one id share a single query.
 */
import type { RevocationList } from './revocation-list.js';

export interface CachedRevocationListOptions {
  /** How long a "not revoked" answer is trusted; default 1 000 ms. 0 asks the store every time. */
  ttlMs?: number;
  /** Token ids remembered; past it the cache is dropped whole (only costs queries). Default 10 000. */
  maxEntries?: number;
  now?: () => number;
}

export const defaultRevocationCacheMs = 1000;

export function createCachedRevocationList(
  inner: RevocationList,
  options: CachedRevocationListOptions = {},
): RevocationList {
  const ttlMs = options.ttlMs ?? defaultRevocationCacheMs;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  /** jti → time the store said "not revoked". */
  const clearedAt = new Map<string, number>();
  const revoked = new Set<string>();
  const inFlight = new Map<string, Promise<boolean>>();

  const ask = (jti: string): Promise<boolean> => {
    const asked = now();
    const query = inner
      .isRevoked(jti)
      .then((isRevoked) => {
        if (isRevoked) {
          if (revoked.size >= maxEntries) revoked.clear();
          revoked.add(jti);
          clearedAt.delete(jti);
        } else if (ttlMs > 0 && !revoked.has(jti)) {
          if (clearedAt.size >= maxEntries) clearedAt.clear();
          // Stamped with the time the question was asked: a revocation after it is seen next time.
          clearedAt.set(jti, asked);
        }
        return isRevoked || revoked.has(jti);
      })
      .finally(() => inFlight.delete(jti));
    inFlight.set(jti, query);
    return query;
  };

  return {
    async revoke(jti, expiresAt) {
      await inner.revoke(jti, expiresAt);
      revoked.add(jti);
      clearedAt.delete(jti);
    },
    isRevoked(jti) {
      if (revoked.has(jti)) return Promise.resolve(true);
      const cleared = clearedAt.get(jti);
      if (cleared !== undefined && now() - cleared < ttlMs) return Promise.resolve(false);
      return inFlight.get(jti) ?? ask(jti);
    },
  };
}
