/**
 * Write-behind metering: events are collected for up to `maxDelayMs` (or `maxBatch` events) and
 * written in one statement, so a busy proxy pays one database commit (one fsync on SQLite, where
 * the driver is synchronous and a commit stalls the event loop) per batch instead of per call.
 * Spend for budgets comes from a spend cache (spend-cache.ts): the database plus the events not yet
 * written, read at most once per `spendCacheMs` per token or subject, refreshed in the background,
 * with this process's own calls added at once. A crash (kill -9, power loss) loses at most the last
 * `maxDelayMs` of events (at most `maxBatch`); a graceful shutdown loses nothing, as `close()` writes
 * what is pending.
 */
import type { Logger } from '../logging/index.js';
import { createSpendCache } from './spend-cache.js';
import type { SpendScope, UsageEvent, UsageLedger } from './usage-ledger.js';

export interface BatchableUsageLedger extends UsageLedger {
  /** Writes several events at once (one statement); falls back to `record` one by one when absent. */
  recordMany?(events: readonly UsageEvent[]): Promise<void>;
}

export interface BatchingUsageLedger extends UsageLedger {
  /** Writes everything pending now. */
  flush(): Promise<void>;
  /** Flushes and stops the timer; later events are written at once. */
  close(): Promise<void>;
}

export interface BatchingOptions {
  maxDelayMs?: number;
  maxBatch?: number;
  /** How long a spend read from the database is reused (plus local calls); 0 reads every time. */
  spendCacheMs?: number;
  /** Past this age a cached spend is not served while it refreshes: the call waits for the read. */
  spendMaxStaleMs?: number;
  now?: () => number;
  logger: Logger;
}

/**
 * One write a second (or per 500 events). A SQLite commit holds the event loop for ~1 ms (7 ms when
 * it checkpoints the WAL); at 50 ms batches one call in 40 waited behind one, which alone put the
 * proxy's added p99 over 1 ms. A second of events is also what a crash can lose.
 */
export const defaultBatching = { maxDelayMs: 1000, maxBatch: 500 } as const;

/** Spend is re-read once a second while calls come, and never served more than 10 s old. */
export const defaultSpendCache = { ttlMs: 1000, maxStaleMs: 10_000 } as const;

/** Events kept after failed writes before the oldest are dropped (and logged), so memory stays bounded. */
const maxPending = 10_000;

export function createBatchingUsageLedger(
  inner: BatchableUsageLedger,
  options: BatchingOptions,
): BatchingUsageLedger {
  const maxDelayMs = options.maxDelayMs ?? defaultBatching.maxDelayMs;
  const maxBatch = options.maxBatch ?? defaultBatching.maxBatch;
  let pending: UsageEvent[] = [];
  let writing: UsageEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  const spend = createSpendCache({
    ttlMs: options.spendCacheMs ?? defaultSpendCache.ttlMs,
    maxStaleMs: options.spendMaxStaleMs ?? defaultSpendCache.maxStaleMs,
    now: options.now ?? Date.now,
    async read(scope) {
      const unwritten = [...writing, ...pending].filter((event) => inScope(event, scope));
      // A batch that commits during the query may be counted twice: an overestimate, the safe side for a budget.
      return (await inner.spentUsd(scope)) + unwritten.reduce((sum, event) => sum + event.costUsd, 0);
    },
    onRefreshError: (error, scope) =>
      options.logger.warn({ err: error, scope }, 'refreshing spend for budget checks failed'),
  });

  const write = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    writing = pending;
    pending = [];
    try {
      if (inner.recordMany !== undefined) await inner.recordMany(writing);
      else for (const event of writing) await inner.record(event);
    } catch (error) {
      const kept = writing.concat(pending).slice(-maxPending);
      options.logger.error(
        { err: error, events: writing.length, dropped: writing.length + pending.length - kept.length },
        'writing proxy usage failed; will retry',
      );
      pending = kept;
      schedule();
    } finally {
      writing = [];
    }
  };
  // Batches are written one after the other, never concurrently, so `writing` is one batch.
  const flush = (): Promise<void> => (chain = chain.then(write));
  function schedule(): void {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => void flush(), maxDelayMs);
    timer.unref();
  }

  return {
    async record(event) {
      pending.push(event);
      spend.add(event);
      if (closed || pending.length >= maxBatch) await flush();
      else schedule();
    },
    spentUsd: (scope) => spend.spentUsd(scope),
    flush,
    async close() {
      closed = true;
      await flush();
    },
  };
}

function inScope(event: UsageEvent, scope: SpendScope): boolean {
  return 'tokenId' in scope ? event.tokenId === scope.tokenId : event.subject === scope.subject;
}
