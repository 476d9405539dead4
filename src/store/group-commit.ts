import type { Kysely } from 'kysely';
import { isLoomError } from '../errors/index.js';
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
 * acknowledges durable rows. A write that fails rolls its batch back and fails alone; the others
 * are committed again without it (see `commitBatch`).
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

/**
 * Commits `batch` in one transaction and settles every caller. A write that throws is dropped from
 * the batch (its caller gets its error) and the rest is tried again together. A failure outside the
 * writes (BEGIN, COMMIT) or a database that is unavailable fails the whole batch at once: retrying
 * writes one by one would only wait out the busy timeout once per write.
 */
async function commitBatch(
  db: Kysely<LoomDatabase>,
  transaction: RunTransaction,
  batch: Pending[],
): Promise<void> {
  let values: unknown[] = [];
  let failed: { index: number; error: unknown } | undefined;
  try {
    await transaction(db, async (trx) => {
      values = [];
      for (const [index, item] of batch.entries()) {
        try {
          values.push(await item.work(trx));
        } catch (error) {
          failed = { index, error };
          throw error;
        }
      }
    });
  } catch (error) {
    if (failed === undefined || isUnavailable(failed.error)) {
      for (const item of batch) item.reject(error);
      return;
    }
    const { index } = failed;
    batch[index]?.reject(failed.error);
    const rest = batch.filter((_item, position) => position !== index);
    if (rest.length > 0) await commitBatch(db, transaction, rest);
    return;
  }
  batch.forEach((item, index) => item.resolve(values[index]));
}

function isUnavailable(error: unknown): boolean {
  return isLoomError(error) && error.code === 'dependency_unavailable';
}
