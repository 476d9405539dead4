import Database from 'better-sqlite3';
import { LoomError } from '../../errors/index.js';
import { classifySqliteError } from './classify-sqlite-error.js';

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
export const sqliteBusyTimeoutMs = 5000;

/**
 * The most pages a connection keeps in its own cache, in KiB (SQLite's default is 2 MiB). A search
 * joins each FTS match to its `thread_search_documents` row, one B-tree leaf per match, scattered
 * over the whole table; with 2 MiB each was a `pread` from the OS cache again. Memory is taken as
 * pages are read, up to this bound.
 */
export const sqliteCacheKib = 128 * 1024;

/**
 * Pages are read through a memory map of up to this many bytes (SQLite caps it at its compile-time
 * maximum, 2 GiB by default): a page already in the OS cache costs no system call and no copy.
 */
export const sqliteMmapBytes = 2 ** 31;

/**
 * Opens the SQLite file with the settings Loom relies on: WAL (readers never block the writer, and
 * several processes can share the file), `synchronous=FULL` (a committed write survives a power cut,
 * RELIABILITY 34), a busy timeout instead of instant SQLITE_BUSY, enforced foreign keys, and the
 * page cache and memory map that keep searches of a large store off the read system call.
 * busy_timeout is set first so that switching to WAL waits for a concurrent opener.
 */
export function openSqliteConnection(file: string): Database.Database {
  let database: Database.Database | undefined;
  try {
    database = new Database(file);
    database.pragma(`busy_timeout = ${sqliteBusyTimeoutMs}`);
    const journalMode = switchToWal(database);
    if (journalMode !== 'wal') {
      throw new LoomError(
        'dependency_unavailable',
        `SQLite refused WAL mode for ${file} (got ${String(journalMode)})`,
        {
          details: { dialect: 'sqlite', journalMode },
          retryable: false,
        },
      );
    }
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.pragma(`cache_size = -${sqliteCacheKib}`);
    database.pragma(`mmap_size = ${sqliteMmapBytes}`);
    return database;
  } catch (error) {
    database?.close();
    throw classifySqliteError(error);
  }
}

/**
 * `journal_mode = WAL` needs the file to itself for a moment, and when two processes open a fresh
 * file at once SQLite can answer SQLITE_BUSY without calling the busy handler; so the switch is
 * retried for as long as the busy timeout, with short synchronous pauses (this runs once per open).
 */
function switchToWal(database: Database.Database): unknown {
  const deadline = Date.now() + sqliteBusyTimeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return database.pragma('journal_mode = WAL', { simple: true });
    } catch (error) {
      const busy = (error as { code?: unknown }).code === 'SQLITE_BUSY';
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 10 + Math.floor(Math.random() * 20));
    }
  }
}
