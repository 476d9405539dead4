import type { Database } from 'better-sqlite3';

/** Per database file, the tail of the chain of callers waiting in this process. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` (the migrations) as one `BEGIN IMMEDIATE` transaction on `database`, so that two
 * processes opening the same file at once take turns (the second waits up to busy_timeout) and a
 * failing migration leaves nothing half-applied. Kysely's SQLite adapter takes no lock and no
 * transaction of its own, which is why this exists.
 *
 * Within one process the callers are also queued per file: better-sqlite3 is synchronous, so a second
 * connection's `BEGIN IMMEDIATE` would block the event loop while the first transaction waits on it.
 */
export async function withSqliteMigrationLock<T>(database: Database, work: () => Promise<T>): Promise<T> {
  const key = database.name;
  const previous = queues.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => runImmediate(database, work));
  const tail = current.catch(() => undefined);
  queues.set(key, tail);
  try {
    return await current;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
}

async function runImmediate<T>(database: Database, work: () => Promise<T>): Promise<T> {
  database.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    if (database.inTransaction) database.exec('ROLLBACK');
    throw error;
  }
}
