import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { classifySqliteError } from './classify-sqlite-error.js';

const sqliteError = (code: string) => new Database.SqliteError(`sqlite said ${code}`, code);

describe('classifySqliteError', () => {
  it.each([
    'SQLITE_BUSY',
    'SQLITE_BUSY_SNAPSHOT',
    'SQLITE_LOCKED',
    'SQLITE_IOERR_WRITE',
    'SQLITE_FULL',
    'SQLITE_CANTOPEN',
  ])('maps %s to a retryable dependency_unavailable', (code) => {
    const error = classifySqliteError(sqliteError(code));
    expect(error).toMatchObject({ code: 'dependency_unavailable', retryable: true });
    expect(error.details).toMatchObject({ sqliteCode: code });
  });

  it.each(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_READONLY_DBMOVED'])(
    'maps %s to a permanent failure',
    (code) => {
      expect(classifySqliteError(sqliteError(code))).toMatchObject({
        code: 'dependency_unavailable',
        retryable: false,
      });
    },
  );

  it('maps constraint violations to conflict and everything else to internal', () => {
    expect(classifySqliteError(sqliteError('SQLITE_CONSTRAINT_PRIMARYKEY')).code).toBe('conflict');
    expect(classifySqliteError(sqliteError('SQLITE_ERROR')).code).toBe('internal');
    expect(classifySqliteError(new TypeError('The database connection is not open')).code).toBe('internal');
  });

  it('does not mistake a code that merely shares a prefix', () => {
    expect(classifySqliteError(sqliteError('SQLITE_FULLISH')).code).toBe('internal');
  });
});
