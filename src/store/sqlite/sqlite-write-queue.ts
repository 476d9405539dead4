import { sql, type Kysely } from 'kysely';

/** Per database file, the tail of the chain of transactions waiting in this process. */
const queues = new Map<string, Promise<unknown>>();
const fileOfDatabase = new WeakMap<Kysely<never>, Promise<string>>();

/**
 * Runs `work` as a transaction after every other transaction of this process on the same file.
 * better-sqlite3 is synchronous: when two connections of one process (two stores on one file, as in
 * tests, or a CLI command next to a REPL) interleave, the second one's write waits for the lock in the
 * busy handler *on the event loop*, so the first transaction (which needs the event loop to finish)
 * stalls until busy_timeout fails it. Queuing per file avoids that; other processes still take turns
 * through SQLite's own lock and busy timeout.
 */
export async function queueSqliteTransaction<Database, T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const key = await databaseFile(db);
  if (key === '') return db.transaction().execute(work); // in-memory: nobody else can share it
  const previous = queues.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => db.transaction().execute(work));
  const tail = current.catch(() => undefined);
  queues.set(key, tail);
  try {
    return await current;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
}

function databaseFile<Database>(db: Kysely<Database>): Promise<string> {
  const key = db as unknown as Kysely<never>;
  let file = fileOfDatabase.get(key);
  if (file === undefined) {
    file = sql<{ name: string; file: string }>`pragma database_list`
      .execute(db)
      .then((result) => result.rows.find((row) => row.name === 'main')?.file ?? '');
    fileOfDatabase.set(key, file);
  }
  return file;
}
