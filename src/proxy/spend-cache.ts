/**
 * Spend per token or subject for budget checks, read from the database at most once per `ttlMs` per
 * scope and kept current with this process's own calls in between. Past `ttlMs` a call gets the
 * cached figure at once while one read refreshes it in the background (stale-while-revalidate); only
 * a figure older than `maxStaleMs`, or none, makes callers wait, and concurrent callers then share
 * one read. Without that, every call in flight when the figure expired ran its own SUM over the
 * token's history: 64 concurrent calls after an idle second stalled the event loop ~150 ms on SQLite.
 * This process's calls count at once; another server's calls are seen one read later (within
 * `ttlMs` plus a read while calls keep coming, within `maxStaleMs` at worst).
 */
import type { SpendScope, UsageEvent } from './usage-ledger.js';

export interface SpendCacheOptions {
  /** How long a read is used as it is (plus local calls); 0 reads on every call. */
  ttlMs: number;
  /** Past this age a figure is not used at all: the caller waits for a read. */
  maxStaleMs: number;
  now: () => number;
  /** The spend now: database total plus events this process has not written yet. */
  read: (scope: SpendScope) => Promise<number>;
  /** A background refresh failed; the cached figure stays until the next attempt. */
  onRefreshError: (error: unknown, scope: SpendScope) => void;
}

export interface SpendCache {
  spentUsd(scope: SpendScope): Promise<number>;
  /** Counts one of this process's calls in the cached figures it belongs to. */
  add(event: UsageEvent): void;
}

interface CachedSpend {
  /** The read's total. */
  base: number;
  readAt: number;
  /** `recorded` for this scope when the read started: later local calls are added on top. */
  mark: number;
}

/** Scopes kept before everything is dropped (a drop only costs reads), so memory stays bounded. */
const maxEntries = 10_000;

export function createSpendCache(options: SpendCacheOptions): SpendCache {
  const entries = new Map<string, CachedSpend>();
  /** Cost of this process's calls per scope since tracking began; only differences are used. */
  const recorded = new Map<string, number>();
  const reads = new Map<string, Promise<number>>();
  /** Bumped when the maps are dropped: a read started before must not be cached after. */
  let generation = 0;

  const localSince = (key: string, mark: number): number => (recorded.get(key) ?? 0) - mark;

  const refresh = (scope: SpendScope, key: string): Promise<number> => {
    const running = reads.get(key);
    if (running !== undefined) return running;
    const mark = recorded.get(key) ?? 0;
    const startedIn = generation;
    const read = options
      .read(scope)
      .then((total) => {
        if (startedIn !== generation) return total;
        if (entries.size >= maxEntries) {
          entries.clear();
          recorded.clear();
          generation += 1;
          return total;
        }
        entries.set(key, { base: total, readAt: options.now(), mark });
        return total + localSince(key, mark);
      })
      .finally(() => reads.delete(key));
    reads.set(key, read);
    return read;
  };

  return {
    async spentUsd(scope) {
      if (options.ttlMs <= 0) return options.read(scope);
      const key = keyOf(scope);
      const entry = entries.get(key);
      const age = entry === undefined ? Infinity : options.now() - entry.readAt;
      if (entry !== undefined && age < options.maxStaleMs) {
        if (age >= options.ttlMs) {
          refresh(scope, key).catch((error: unknown) => options.onRefreshError(error, scope));
        }
        return entry.base + localSince(key, entry.mark);
      }
      return refresh(scope, key);
    },
    add(event) {
      for (const key of [`t:${event.tokenId}`, `s:${event.subject}`]) {
        if (entries.has(key) || reads.has(key)) recorded.set(key, (recorded.get(key) ?? 0) + event.costUsd);
      }
    },
  };
}

function keyOf(scope: SpendScope): string {
  return 'tokenId' in scope ? `t:${scope.tokenId}` : `s:${scope.subject}`;
}
