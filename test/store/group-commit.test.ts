/**
 * The group commit behind the store's webhook-path writes, on a real SQLite file: concurrent writes
 * share transactions, a caller hears back only after its batch committed, and one failing write
 * fails alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoomError } from '../../src/errors/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import type { LoomDatabase } from '../../src/store/database-schema.js';
import { createGroupCommit, type RunTransaction } from '../../src/store/group-commit.js';
import { openSqliteDatabase } from '../../src/store/sqlite/open-sqlite-database.js';
import { queueSqliteTransaction } from '../../src/store/sqlite/sqlite-write-queue.js';

let dataDir: string;
let db: Kysely<LoomDatabase>;
let reader: Kysely<LoomDatabase>;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'loom-group-commit-'));
  db = await openSqliteDatabase(dataDir, createSilentLogger());
  reader = await openSqliteDatabase(dataDir, createSilentLogger());
});
afterEach(async () => {
  await db.destroy();
  await reader.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

/** The SQLite transaction runner, counting the transactions it ran. */
function countingTransactions(): { transaction: RunTransaction; count(): number } {
  let count = 0;
  return {
    transaction: (database, work) => {
      count += 1;
      return queueSqliteTransaction(database, work);
    },
    count: () => count,
  };
}

function saveReport(key: string) {
  return async (trx: Kysely<LoomDatabase>) => {
    await trx
      .insertInto('slack_reports')
      .values({ report_key: key, state: '{}', updated_at: new Date().toISOString() })
      .execute();
    return key;
  };
}

/** Whether another connection (another process, as far as SQLite knows) sees the row. */
async function committed(key: string): Promise<boolean> {
  const row = await reader
    .selectFrom('slack_reports')
    .select('report_key')
    .where('report_key', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}

describe('createGroupCommit on SQLite', () => {
  it('runs concurrent writes in shared transactions and answers each after its commit', async () => {
    const counter = countingTransactions();
    const write = createGroupCommit(db, { transaction: counter.transaction, windowMs: 5, maxBatch: 20 });
    const keys = Array.from({ length: 50 }, (_, index) => `k${index}`);
    const seenAtAnswer = await Promise.all(
      keys.map(async (key) => {
        const answer = await write(saveReport(key));
        return { answer, visible: await committed(key) };
      }),
    );
    expect(seenAtAnswer).toEqual(keys.map((key) => ({ answer: key, visible: true })));
    // 50 writes at once, at most 20 a transaction: three transactions, not fifty.
    expect(counter.count()).toBe(3);
  });

  it('fails only the write that failed; the others of its batch commit', async () => {
    const counter = countingTransactions();
    const write = createGroupCommit(db, { transaction: counter.transaction, windowMs: 5, maxBatch: 20 });
    const refused = new LoomError('conflict', 'this one is refused');
    const results = await Promise.allSettled([
      write(saveReport('a')),
      write(async (trx) => {
        await saveReport('b')(trx);
        throw refused;
      }),
      write(saveReport('c')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBe(refused);
    expect([await committed('a'), await committed('b'), await committed('c')]).toEqual([true, false, true]);
  });

  it('fails a whole batch at once when the database is unavailable, without retrying write by write', async () => {
    const counter = countingTransactions();
    const write = createGroupCommit(db, { transaction: counter.transaction, windowMs: 5, maxBatch: 20 });
    const busy = new LoomError('dependency_unavailable', 'SQLite is unavailable: database is locked');
    const results = await Promise.allSettled([
      write(saveReport('p')),
      write(async () => {
        throw busy;
      }),
      write(saveReport('q')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(counter.count()).toBe(1);
    expect([await committed('p'), await committed('q')]).toEqual([false, false]);
  });

  it('rejects every write of a batch whose commit fails, and commits nothing of it', async () => {
    const failing: RunTransaction = async (database, work) =>
      queueSqliteTransaction(database, async (trx) => {
        const value = await work(trx);
        throw new LoomError('dependency_unavailable', 'disk went away');
        return value;
      });
    const write = createGroupCommit(db, { transaction: failing, windowMs: 5, maxBatch: 20 });
    const results = await Promise.allSettled([write(saveReport('x')), write(saveReport('y'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect([await committed('x'), await committed('y')]).toEqual([false, false]);
  });
});
