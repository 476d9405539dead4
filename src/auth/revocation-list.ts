/**
 * Revoked token ids. A token is revoked by its `jti` until its own expiry (after which it is dead
 * anyway), so the list stays small. The store implements this port for SQLite and PostgreSQL; the
 * in-memory one serves single-process setups and unit tests.
 */
export interface RevocationList {
  /** Revokes a token id; `expiresAt` is the token's `exp`, after which the entry may be purged. */
  revoke(jti: string, expiresAt: Date): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}

export function createMemoryRevocationList(now: () => number = Date.now): RevocationList {
  const revoked = new Map<string, number>();
  return {
    async revoke(jti, expiresAt) {
      revoked.set(jti, expiresAt.getTime());
    },
    async isRevoked(jti) {
      const expiresAt = revoked.get(jti);
      if (expiresAt === undefined) return false;
      // Keep entries a minute past expiry so a verifier's clock tolerance cannot revive a token.
      if (expiresAt + 60_000 < now()) revoked.delete(jti);
      return true;
    },
  };
}
