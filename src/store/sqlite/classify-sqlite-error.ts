import Database from 'better-sqlite3';
import { LoomError } from '../../errors/index.js';

/** Result codes (and their extended forms, e.g. `SQLITE_BUSY_SNAPSHOT`) that may clear on a retry. */
const transientCodes = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN'];
/** The file is not usable at all: retrying will not help. */
const brokenCodes = ['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_READONLY', 'SQLITE_PERM'];

/** Turns an error thrown by better-sqlite3 into a LoomError with a code callers can act on. */
export function classifySqliteError(error: unknown): LoomError {
  if (error instanceof LoomError) return error;
  if (!(error instanceof Database.SqliteError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new LoomError('internal', `SQLite error: ${message}`, {
      cause: error,
      details: { dialect: 'sqlite' },
    });
  }
  const details = { dialect: 'sqlite', sqliteCode: error.code };
  if (matches(error.code, transientCodes)) {
    return new LoomError('dependency_unavailable', `SQLite is unavailable: ${error.message}`, {
      cause: error,
      details,
    });
  }
  if (matches(error.code, brokenCodes)) {
    return new LoomError('dependency_unavailable', `SQLite database is not usable: ${error.message}`, {
      cause: error,
      details,
      retryable: false,
    });
  }
  if (matches(error.code, ['SQLITE_CONSTRAINT'])) {
    return new LoomError('conflict', `SQLite constraint violated: ${error.message}`, {
      cause: error,
      details,
    });
  }
  return new LoomError('internal', `SQLite error: ${error.message}`, { cause: error, details });
}

function matches(code: string, prefixes: string[]): boolean {
  return prefixes.some((prefix) => code === prefix || code.startsWith(`${prefix}_`));
}
