import { describe, expect, it } from 'vitest';
import { createCachedRevocationList } from './cached-revocation-list.js';
import { createMemoryRevocationList, type RevocationList } from './revocation-list.js';

/** The in-memory list stands in for the store's (same port), counting look-ups. */
function countingStore(): { store: RevocationList; lookups: () => number } {
  const store = createMemoryRevocationList();
  let lookups = 0;
  return {
    store: {
      revoke: (jti, expiresAt) => store.revoke(jti, expiresAt),
      isRevoked(jti) {
        lookups += 1;
        return store.isRevoked(jti);
      },
    },
    lookups: () => lookups,
  };
}

const later = new Date(Date.now() + 3_600_000);

describe('createCachedRevocationList', () => {
  it('reuses a "not revoked" answer within the TTL', async () => {
    const clock = { now: 1_000_000 };
    const { store, lookups } = countingStore();
    const cached = createCachedRevocationList(store, { ttlMs: 1000, now: () => clock.now });
    expect(await cached.isRevoked('j1')).toBe(false);
    clock.now += 999;
    expect(await cached.isRevoked('j1')).toBe(false);
    expect(lookups()).toBe(1);
  });

  it('sees a revocation made elsewhere once the TTL passed', async () => {
    const clock = { now: 1_000_000 };
    const { store } = countingStore();
    const cached = createCachedRevocationList(store, { ttlMs: 1000, now: () => clock.now });
    expect(await cached.isRevoked('j1')).toBe(false);
    await store.revoke('j1', later); // e.g. `loom token revoke` against the same database
    clock.now += 1000;
    expect(await cached.isRevoked('j1')).toBe(true);
  });

  it('applies a revocation made through it at once, and keeps it', async () => {
    const clock = { now: 1_000_000 };
    const { store, lookups } = countingStore();
    const cached = createCachedRevocationList(store, { ttlMs: 60_000, now: () => clock.now });
    expect(await cached.isRevoked('j1')).toBe(false);
    await cached.revoke('j1', later);
    expect(await cached.isRevoked('j1')).toBe(true);
    expect(await store.isRevoked('j1')).toBe(true);
    clock.now += 3_600_000;
    expect(await cached.isRevoked('j1')).toBe(true);
    expect(lookups()).toBe(2);
  });

  it('shares one look-up between concurrent checks of a token', async () => {
    const { store, lookups } = countingStore();
    const cached = createCachedRevocationList(store);
    const answers = await Promise.all(Array.from({ length: 20 }, () => cached.isRevoked('j1')));
    expect(answers.every((answer) => answer === false)).toBe(true);
    expect(lookups()).toBe(1);
  });

  it('does not let a look-up that raced a local revocation clear the token', async () => {
    const { store } = countingStore();
    const cached = createCachedRevocationList(store, { ttlMs: 60_000 });
    const pending = cached.isRevoked('j1');
    await cached.revoke('j1', later);
    await pending;
    expect(await cached.isRevoked('j1')).toBe(true);
  });

  it('asks the store every time with a TTL of 0, and passes its failures on', async () => {
    const { store, lookups } = countingStore();
    const cached = createCachedRevocationList(store, { ttlMs: 0 });
    await cached.isRevoked('j1');
    await cached.isRevoked('j1');
    expect(lookups()).toBe(2);
    const failing = createCachedRevocationList({
      revoke: async () => undefined,
      isRevoked: async () => {
        throw new Error('database down');
      },
    });
    await expect(failing.isRevoked('j1')).rejects.toThrow(/database down/);
    await expect(failing.isRevoked('j1')).rejects.toThrow(/database down/);
  });
});
