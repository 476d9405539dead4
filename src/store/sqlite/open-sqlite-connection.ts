import Database from 'better-sqlite3';
import { LoomError } from '../../errors/index.js';
import { classifySqliteError } from './classify-sqlite-error.js';

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
export const sqliteBusyTimeoutMs = 5000;

/**
 * Opens the SQLite file with the settings Loom relies on: WAL (readers never block the writer, and
 * several processes can share the file), `synchronous=FULL` (a committed write survives a power cut,
 * RELIABILITY 34), a busy timeout instead of instant SQLITE_BUSY, and enforced foreign keys.
 * busy_timeout is set first so that switching to WAL waits for a concurrent opener.
 */
export function openSqliteConnection(file: string): Database.Database {
  let database: Database.Database | undefined;
  try {
    database = new Database(file);
    database.pragma(`busy_timeout = ${sqliteBusyTimeoutMs}`);
    const journalMode = database.pragma('journal_mode = WAL', { simple: true });
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
    return database;
  } catch (error) {
    database?.close();
    throw classifySqliteError(error);
  }
}
