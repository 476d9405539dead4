import type { Kysely } from 'kysely';
import type { LoomDatabase } from './database-schema.js';

/** Runs `work` in one transaction (the dialect's way: SQLite queues per file). */
export type RunTransaction = <T>(
  db: Kysely<LoomDatabase>,
  work: (trx: Kysely<LoomDatabase>) => Promise<T>,
) => Promise<T>;

export interface GroupCommitOptions {
  transaction: RunTransaction;
  /**
   * How long the first write of a batch waits for others to join it (ms). Writes that arrive while a
   * batch commits join the next one anyway; the window only adds company when the load is light.
   */
  windowMs: number;
  /** Writes per transaction at most. */
  maxBatch: number;
}

/** A small write that commits together with whatever other writes are waiting at the time. */
export type GroupCommit = <T>(work: (trx: Kysely<LoomDatabase>) => Promise<T>) => Promise<T>;

interface Pending {
  work: (trx: Kysely<LoomDatabase>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit: concurrent small writes (one webhook's ledger row each) share one transaction, so
 * the database syncs its log once per batch instead of once per write. A caller's promise settles
 * only after its batch committed (or failed), so whoever acknowledges after `await` still only
 * acknowledges durable rows. When any write of a batch fails, the batch is rolled back and each of
 * its writes is run again in a transaction of its own, so one bad write fails alone. (Savepoints
 * would do that too, at two more round trips per write on PostgreSQL.)
 */
export function createGroupCommit(db: Kysely<LoomDatabase>, options: GroupCommitOptions): GroupCommit {
  let waiting: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing = false;

  const flush = async (): Promise<void> => {
    flushing = true;
    const batch = waiting.slice(0, options.maxBatch);
    waiting = waiting.slice(batch.length);
    try {
      await commitBatch(db, options.transaction, batch);
    } finally {
      flushing = false;
      // Writes that arrived meanwhile waited a whole commit already: no window for them.
      if (waiting.length > 0) void flush();
    }
  };

  return <T>(work: (trx: Kysely<LoomDatabase>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (flushing) return; // the running flush picks it up
      if (waiting.length >= options.maxBatch) {
        clearTimeout(timer);
        timer = undefined;
        void flush();
      } else {
        timer ??= setTimeout(() => {
          timer = undefined;
          if (!flushing) void flush();
        }, options.windowMs);
      }
    });
}

async function commitBatch(db: Kysely<LoomDatabase>, transaction: RunTransaction, batch: Pending[]) {
  let values: unknown[] = [];
  try {
    await transaction(db, async (trx) => {
      values = [];
      for (const item of batch) values.push(await item.work(trx));
    });
  } catch (error) {
    if (batch.length === 1) {
      batch[0]?.reject(error);
      return;
    }
    // Someone's write failed (or the commit did): find out whose, one transaction each.
    await Promise.all(batch.map((item) => transaction(db, item.work).then(item.resolve, item.reject)));
    return;
  }
  batch.forEach((item, index) => item.resolve(values[index]));
}
