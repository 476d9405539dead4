import { describe, expect, it } from 'vitest';
import { createSpendCache, type SpendCacheOptions } from './spend-cache.js';
import { usageEventFixture } from './usage-event-fixture.js';
import type { SpendScope } from './usage-ledger.js';

const call = usageEventFixture;

/** A database whose reads are answered by the test, one at a time, so overlaps can be arranged. */
function slowDatabase(initial: number) {
  let total = initial;
  const pending: Array<() => void> = [];
  const scopes: SpendScope[] = [];
  return {
    read(scope: SpendScope): Promise<number> {
      scopes.push(scope);
      return new Promise((resolve) => pending.push(() => resolve(total)));
    },
    answerAll(): void {
      for (const answer of pending.splice(0)) answer();
    },
    spendElsewhere(amount: number): void {
      total += amount;
    },
    get reads(): number {
      return scopes.length;
    },
  };
}

function cacheOver(database: ReturnType<typeof slowDatabase>, clock: { now: number }, extra = {}) {
  const errors: unknown[] = [];
  const options: SpendCacheOptions = {
    ttlMs: 1000,
    maxStaleMs: 10_000,
    now: () => clock.now,
    read: (scope) => database.read(scope),
    onRefreshError: (error) => errors.push(error),
    ...extra,
  };
  return { cache: createSpendCache(options), errors };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createSpendCache', () => {
  it('lets concurrent callers without a figure share one read', async () => {
    const database = slowDatabase(3);
    const { cache } = cacheOver(database, { now: 0 });
    const answers = Array.from({ length: 64 }, () => cache.spentUsd({ tokenId: 'job-1' }));
    await tick();
    expect(database.reads).toBe(1);
    database.answerAll();
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 64 }, () => 3));
  });

  it('serves an expired figure at once and refreshes it with one read for all callers', async () => {
    const database = slowDatabase(3);
    const clock = { now: 0 };
    const { cache } = cacheOver(database, clock);
    const first = cache.spentUsd({ tokenId: 'job-1' });
    database.answerAll();
    expect(await first).toBe(3);

    database.spendElsewhere(4);
    clock.now = 1500;
    const during = await Promise.all(Array.from({ length: 64 }, () => cache.spentUsd({ tokenId: 'job-1' })));
    expect(during.every((value) => value === 3)).toBe(true);
    expect(database.reads).toBe(2);
    database.answerAll();
    await tick();
    expect(await cache.spentUsd({ tokenId: 'job-1' })).toBe(7);
    expect(database.reads).toBe(2);
  });

  it("counts this process's calls at once, including those made while a read was running", async () => {
    const database = slowDatabase(1);
    const clock = { now: 0 };
    const { cache } = cacheOver(database, clock);
    const first = cache.spentUsd({ tokenId: 'job-1' });
    cache.add(call('job-1', 2)); // recorded while the read is out: not in its total
    database.answerAll();
    expect(await first).toBe(3);
    cache.add(call('job-1', 4));
    cache.add(call('job-2', 100)); // another token: not this one's spend
    expect(await cache.spentUsd({ tokenId: 'job-1' })).toBe(7);
    expect(database.reads).toBe(1);
  });

  it('makes callers wait for a read once the figure is older than maxStaleMs', async () => {
    const database = slowDatabase(3);
    const clock = { now: 0 };
    const { cache } = cacheOver(database, clock);
    const first = cache.spentUsd({ tokenId: 'job-1' });
    database.answerAll();
    await first;
    database.spendElsewhere(10);
    clock.now = 10_000;
    let settled = false;
    const waiting = cache.spentUsd({ tokenId: 'job-1' }).then((value) => {
      settled = true;
      return value;
    });
    await tick();
    expect(settled).toBe(false);
    database.answerAll();
    expect(await waiting).toBe(13);
  });

  it('keeps serving the cached figure when a background refresh fails, and reports the failure', async () => {
    let fail = false;
    const clock = { now: 0 };
    const errors: unknown[] = [];
    const cache = createSpendCache({
      ttlMs: 1000,
      maxStaleMs: 10_000,
      now: () => clock.now,
      read: async () => {
        if (fail) throw new Error('database is locked');
        return 5;
      },
      onRefreshError: (error) => errors.push(error),
    });
    expect(await cache.spentUsd({ tokenId: 'job-1' })).toBe(5);
    fail = true;
    clock.now = 2000;
    expect(await cache.spentUsd({ tokenId: 'job-1' })).toBe(5);
    await tick();
    expect(errors).toHaveLength(1);
    clock.now = 20_000;
    await expect(cache.spentUsd({ tokenId: 'job-1' })).rejects.toThrow('database is locked');
  });

  it('reads on every call when ttlMs is 0', async () => {
    let reads = 0;
    const cache = createSpendCache({
      ttlMs: 0,
      maxStaleMs: 0,
      now: () => 0,
      read: async () => ++reads,
      onRefreshError: () => undefined,
    });
    expect(await cache.spentUsd({ tokenId: 'a' })).toBe(1);
    expect(await cache.spentUsd({ tokenId: 'a' })).toBe(2);
  });
});
