import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../logging/index.js';
import { createBatchingUsageLedger } from './batching-usage-ledger.js';
import { usageEventFixture } from './usage-event-fixture.js';
import { createMemoryUsageLedger, type UsageEvent } from './usage-ledger.js';

const event = usageEventFixture;

describe('createBatchingUsageLedger', () => {
  it('writes events in batches and counts unwritten ones in the spend', async () => {
    const inner = createMemoryUsageLedger();
    const batches: number[] = [];
    const recordMany = async (events: readonly UsageEvent[]) => {
      batches.push(events.length);
      for (const value of events) await inner.record(value);
    };
    const ledger = createBatchingUsageLedger(
      { record: inner.record, spentUsd: inner.spentUsd, recordMany },
      { maxDelayMs: 20, maxBatch: 3, logger: createSilentLogger() },
    );
    await ledger.record(event('a', 1));
    await ledger.record(event('a', 2));
    expect(inner.events).toHaveLength(0);
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(3);
    await ledger.record(event('b', 4)); // third event: batch full, written at once
    expect(batches).toEqual([3]);
    await ledger.record(event('a', 8));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches).toEqual([3, 1]);
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(11);
    expect(await ledger.spentUsd({ subject: 'alice' })).toBe(15);
  });

  it('keeps events after a failed write and writes them on the next flush', async () => {
    const inner = createMemoryUsageLedger();
    let failures = 1;
    const ledger = createBatchingUsageLedger(
      {
        spentUsd: inner.spentUsd,
        record: async (value) => {
          if (failures-- > 0) throw new Error('database is locked');
          await inner.record(value);
        },
      },
      { maxDelayMs: 1000, logger: createSilentLogger() },
    );
    await ledger.record(event('a', 1));
    await ledger.flush();
    expect(inner.events).toHaveLength(0);
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(1);
    await ledger.close();
    expect(inner.events).toHaveLength(1);
    await ledger.record(event('a', 2));
    expect(inner.events).toHaveLength(2);
  });
});

describe('createBatchingUsageLedger spend cache', () => {
  it("reuses a database read for spendCacheMs, adding this process's calls, then refreshes it", async () => {
    let now = 0;
    const inner = createMemoryUsageLedger();
    let reads = 0;
    const ledger = createBatchingUsageLedger(
      {
        record: inner.record,
        spentUsd: async (scope) => {
          reads += 1;
          return inner.spentUsd(scope);
        },
      },
      { maxDelayMs: 5, spendCacheMs: 1000, now: () => now, logger: createSilentLogger() },
    );
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(0);
    await ledger.record(event('a', 2));
    await ledger.flush();
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(2);
    expect(reads).toBe(1);
    // Another server spends on the same token: seen once the cached read expired and was refreshed.
    await inner.record(event('a', 5));
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(2);
    now += 1000;
    // The expired figure is served at once while one read refreshes it in the background.
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(2);
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(7);
  });

  it('waits for the database when the cached figure is older than spendMaxStaleMs', async () => {
    let now = 0;
    const inner = createMemoryUsageLedger();
    const ledger = createBatchingUsageLedger(inner, {
      spendCacheMs: 1000,
      spendMaxStaleMs: 5000,
      now: () => now,
      logger: createSilentLogger(),
    });
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(0);
    await inner.record(event('a', 5));
    now += 5000;
    expect(await ledger.spentUsd({ tokenId: 'a' })).toBe(5);
  });
});
